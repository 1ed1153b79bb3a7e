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
#include "ports/geo_locator.h"
#include "service/trust.h"
#include "service/work_source.h"

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
  Devices(const WorkSource& works, const DeviceTrust& trust, const GeoLocator& geo)
      : works_(works), trust_(trust), geo_(geo) {}

  // The reads run in the snapshot that checks the access token (ReadAs).
  Result<std::vector<TrustedDeviceView>> List(const Secret& access_token);
  // 404 when the account has no such trusted device.
  Result<void> Remove(const Caller& caller, const std::string& device_id, const std::string& ip);
  // `limit` 1..100 (400 otherwise); `before` 0 or the id of the last event seen.
  Result<std::vector<ActivityView>> Activity(const Secret& access_token, int limit,
                                             int64_t before);

 private:
  const WorkSource& works_;
  const DeviceTrust& trust_;
  const GeoLocator& geo_;
};

}  // namespace twostep::service
