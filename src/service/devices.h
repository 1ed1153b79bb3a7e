// Use cases of the Trusted Devices list (U10) and Login Activity (U11).
// Removing a device signs it out everywhere at once: its tokens stop
// working, its device secret is void, its live connection gets `signed_out`
// and is closed, and its next sign-in needs a code. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "ports/geo_locator.h"
#include "ports/store.h"
#include "service/results.h"
#include "service/service_env.h"

namespace twostep::service {

struct TrustedDeviceView {
  domain::DeviceDescription device;
  Timestamp trusted_at;
  Timestamp last_seen_at;
  std::optional<Location> location;  // of the last IP
  bool current = false;              // the caller's own device
};

struct ActivityView {
  LoginEvent event;
  std::optional<Location> location;
};

class Devices {
 public:
  explicit Devices(const ServiceEnv& env) : env_(env) {}

  // The reads run in the caller's transaction (the one that checked the
  // access token: http::AuthedRead).
  Result<std::vector<TrustedDeviceView>> List(Transaction& tx, const Caller& caller);
  // 404 when the account has no such trusted device.
  Result<void> Remove(const Caller& caller, const std::string& device_id, const std::string& ip);
  // `limit` 1..100 (400 otherwise); `before` 0 or the id of the last event seen.
  Result<std::vector<ActivityView>> Activity(Transaction& tx, const Caller& caller, int limit,
                                             int64_t before);

 private:
  const ServiceEnv& env_;
};

}  // namespace twostep::service
