// Notifier: live messages to one device of an account (SPEC §3
// /v1/notifications): the WebSocket registry, the webhook provider, and in
// a multi-instance deployment the cross-instance fan-out, all behind this
// port. Called after the change that causes the message has committed.
// Delivery is best effort: an offline device fetches open code requests
// from /v1/notifications/pending. Thread-safe.
//
// A Notification is one of three kinds, each with just its own fields; the
// one encoder of all three is wire/notification_json.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "base/secret.h"
#include "base/time.h"
#include "domain/device.h"
#include "ports/geo_locator.h"

namespace twostep {

// `verification_code`: a code for a sign-in request, to a trusted device.
struct CodeRequested {
  std::string challenge_id;
  Secret code;
  seconds expires_in{0};
  Timestamp requested_at;
  domain::DeviceDescription requester;
  std::string requester_ip;
  std::optional<Location> requester_location;  // its country in `language`
  // The account's language (i18n::kLanguages): the push alert's words.
  std::string language = "en";
};

// `challenge_resolved`: the code shown for this challenge no longer works.
// kMovedToEmail: "Did not receive a code?" sent the code by email instead.
enum class ResolvedOutcome { kVerified, kDenied, kExpired, kExhausted, kMovedToEmail };
struct ChallengeResolved {
  std::string challenge_id;
  ResolvedOutcome outcome = ResolvedOutcome::kVerified;
};

// `signed_out`: the device's session ended.
enum class SignOutReason { kDeviceRemoved, kPasswordChanged, kSignedOut, kSessionEnded };
struct SignedOut {
  SignOutReason reason = SignOutReason::kSignedOut;
  // Of one session only (its token family): a connection of the device
  // opened by another session stays. Empty: every connection of it.
  std::string family_id;
};

using Notification = std::variant<CodeRequested, ChallengeResolved, SignedOut>;

constexpr std::string_view NameOf(ResolvedOutcome o) {
  switch (o) {
    case ResolvedOutcome::kVerified: return "verified";
    case ResolvedOutcome::kDenied: return "denied";
    case ResolvedOutcome::kExpired: return "expired";
    case ResolvedOutcome::kExhausted: return "exhausted";
    case ResolvedOutcome::kMovedToEmail: return "moved_to_email";
  }
  return "";
}

constexpr std::string_view NameOf(SignOutReason r) {
  switch (r) {
    case SignOutReason::kDeviceRemoved: return "device_removed";
    case SignOutReason::kPasswordChanged: return "password_changed";
    case SignOutReason::kSignedOut: return "signed_out";
    case SignOutReason::kSessionEnded: return "session_ended";
  }
  return "";
}

// Only a code request carries a secret, and only a trusted device may get it.
inline bool CarriesCode(const Notification& n) { return std::holds_alternative<CodeRequested>(n); }

class Notifier {
 public:
  virtual ~Notifier() = default;
  virtual void Notify(const std::string& account_id, const std::string& device_id,
                      const Notification& notification) = 0;
};

// Sends nowhere (no live channel configured).
class NullNotifier : public Notifier {
 public:
  void Notify(const std::string&, const std::string&, const Notification&) override {}
};

}  // namespace twostep
