// Which devices of an account are trusted, and the changes of trust a use
// case makes: trusting a device (its new secret is shown once to it and
// stored only as a hash), and the alert mail for a device new to the
// account.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/random.h"
#include "base/secret.h"
#include "domain/account.h"
#include "domain/device.h"
#include "ports/geo_locator.h"
#include "ports/store.h"
#include "service/results.h"
#include "service/security_policy.h"
#include "service/unit_of_work.h"

namespace twostep::service {

class DeviceTrust {
 public:
  // `idle_limit`: SecurityPolicy::trusted_device_idle, a constant of the
  // service (no configuration key: a reload never changes it).
  DeviceTrust(Random& random, const GeoLocator& geo, seconds idle_limit)
      : random_(random), geo_(geo), idle_limit_(idle_limit) {}

  // Marks `device` trusted and returns its new device secret.
  Secret Trust(UnitOfWork& work, const std::string& account_id,
               const domain::DeviceDescription& device, const std::string& ip) const;

  // Whether the caller's session acts as its device as a trusted device:
  // the device is trusted and live, and the session presented (or was
  // issued) the device's current secret (U9). Naming an install id is not
  // enough.
  bool ActsAsTrusted(Transaction& tx, const Caller& caller, Timestamp now) const;

  // Trusted devices that are still trusted at `now` (domain::IsLive).
  std::vector<domain::DeviceRecord> LiveTrusted(Transaction& tx, const std::string& account_id,
                                                Timestamp now) const;
  // The same, of the account's trusted devices already read.
  std::vector<domain::DeviceRecord> LiveTrusted(std::vector<domain::DeviceRecord> trusted,
                                                Timestamp now) const;

  // Emails the owner when `device` has never signed in to the account
  // before, or names a trusted device without having presented its secret
  // (`proved_trusted` false): an install id alone does not silence the
  // alert. Call before the device is recorded.
  void AlertIfNew(UnitOfWork& work, const domain::Account& account,
                  const domain::DeviceDescription& device, const std::string& ip,
                  bool proved_trusted = false) const;

  seconds idle_limit() const { return idle_limit_; }

 private:
  Random& random_;
  const GeoLocator& geo_;
  const seconds idle_limit_;
};

// The secret part of the ActsAsTrusted rule, for a caller that already read
// `device`.
bool HoldsSecretOf(const Caller& caller, const domain::DeviceRecord& device);

// Records that `device` was seen now (creating it untrusted when new).
void TouchDevice(UnitOfWork& work, const std::string& account_id,
                 const domain::DeviceDescription& device, const std::string& ip);

}  // namespace twostep::service
