// Use cases of the mobile push registration (SPEC §4 "Push"):
// PUT /v1/devices/current/push and DELETE. The token belongs to the calling
// session's device and is replaced by the next registration; the session
// that registered it is remembered, so the token is used only while that
// session lives and acts as the trusted device (a session that merely
// names a trusted device's install id registers a token that is never
// pushed), and it is deleted when the session or the device ends. It is
// never returned by any API. Thread-safe.
#pragma once

#include <string>

#include "base/result.h"
#include "ports/clock.h"
#include "ports/store.h"
#include "service/results.h"

namespace twostep::service {

struct PushTokenRequest {
  std::string provider;  // "fcm" | "apns"
  std::string token;
  bool also_when_live = false;  // push even while the device's WebSocket is live
};

class PushRegistrations {
 public:
  PushRegistrations(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // 400 invalid_request for an unknown provider or a token of the wrong
  // shape (nothing written).
  Result<void> Register(const Caller& caller, const PushTokenRequest& request);
  // Removes the device's registration (none: nothing to do).
  void Unregister(const Caller& caller);

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace twostep::service
