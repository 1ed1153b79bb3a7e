// Marks a device of an account as trusted and returns its new device secret
// (shown once to that device; stored only as a hash).
#pragma once

#include <string>

#include "base/secret.h"
#include "domain/account.h"
#include "domain/device.h"
#include "ports/store.h"
#include "service/results.h"
#include "service/service_env.h"

namespace twostep::service {

Secret TrustDevice(UnitOfWork& work, const ServiceEnv& env, const std::string& account_id,
                   const domain::DeviceDescription& device, const std::string& ip);

// Whether the caller's session acts as its device as a trusted device: the
// device is trusted and live, and the session presented (or was issued)
// the device's current secret (U9). Naming an install id is not enough.
bool ActsAsTrustedDevice(Transaction& tx, const ServiceEnv& env, const Caller& caller,
                         Timestamp now);
// The secret part of that rule, for a caller that already read `device`.
bool HoldsSecretOf(const Caller& caller, const domain::DeviceRecord& device);

// Records that `device` was seen now (creating it untrusted when new).
void TouchDevice(UnitOfWork& work, const std::string& account_id,
                 const domain::DeviceDescription& device, const std::string& ip);

// Emails the owner when `device` has never signed in to the account before,
// or names a trusted device without having presented its secret
// (`proved_trusted` false): an install id alone does not silence the alert.
// Call before the device is recorded.
void AlertIfNewDevice(UnitOfWork& work, const ServiceEnv& env, const domain::Account& account,
                      const domain::DeviceDescription& device, const std::string& ip,
                      bool proved_trusted = false);

// "City, Region, Country" (parts that are known) or "Unknown".
std::string LocationText(const std::optional<Location>& location);

}  // namespace twostep::service
