// A device's mobile push registration (SPEC §4 "Push"): which provider
// wakes the app, with which token, and whether a device that is live on
// the WebSocket still wants the push. The token is the device's address at
// FCM or APNs: it is kept to push and never returned by any API or logged.
// Pure values and rules; no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/time.h"

namespace twostep::domain {

enum class PushProvider { kFcm, kApns };

std::string_view PushProviderName(PushProvider p);  // "fcm" | "apns"
std::optional<PushProvider> ParsePushProvider(std::string_view name);

// Whether `token` has the shape the provider hands out: APNs device tokens
// are hex (32 bytes today; up to 100 bytes allowed, Apple says the length
// may grow), FCM registration tokens are 1–1024 characters of
// [A-Za-z0-9_:.-]. Anything else could never be delivered and is refused.
bool IsValidPushToken(PushProvider provider, std::string_view token);

// One row: the registration of one device of an account, made by one
// session (token family). It is used only while that session lives and
// proves the trusted device (see Transaction::FindPushTarget).
struct PushRegistration {
  std::string account_id;
  std::string device_id;
  std::string family_id;
  std::string app;  // whose push credentials reach the device
  PushProvider provider = PushProvider::kFcm;
  std::string token;
  bool also_when_live = false;  // push even while the WebSocket is connected
  Timestamp registered_at;
};

}  // namespace twostep::domain
