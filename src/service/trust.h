// Marks a device of an account as trusted and returns its new device secret
// (shown once to that device; stored only as a hash).
#pragma once

#include <string>

#include "base/secret.h"
#include "domain/account.h"
#include "domain/device.h"
#include "ports/store.h"
#include "service/service_env.h"

namespace twostep::service {

Secret TrustDevice(Transaction& tx, const ServiceEnv& env, const std::string& account_id,
                   const domain::DeviceDescription& device, const std::string& ip, Timestamp now);

// Records that `device` was seen now (creating it untrusted when new).
void TouchDevice(Transaction& tx, const std::string& account_id,
                 const domain::DeviceDescription& device, const std::string& ip, Timestamp now);

// Emails the owner when `device` has never signed in to the account before
// (call before the device is recorded).
void AlertIfNewDevice(Transaction& tx, const ServiceEnv& env, const domain::Account& account,
                      const domain::DeviceDescription& device, const std::string& ip,
                      Timestamp now);

// "City, Region, Country" (parts that are known) or "Unknown".
std::string LocationText(const std::optional<Location>& location);

}  // namespace twostep::service
