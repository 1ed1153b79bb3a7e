// What the use cases answer with: values the HTTP layer turns into JSON.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/secret.h"
#include "base/time.h"

namespace twostep::service {

// SPEC §3 `session`.
struct IssuedSession {
  Secret access_token;
  seconds expires_in{0};
  Secret refresh_token;
  std::optional<Secret> device_secret;  // when the device became trusted now
  std::string account_id;
  std::string email;
};

// SPEC §3 `challenge`.
struct ChallengeView {
  std::string challenge_id;
  std::string method;                // "app" | "email"
  std::vector<std::string> methods;  // methods this challenge can switch to
  std::string destination;           // "2 trusted devices" or a masked email
  seconds expires_in{0};
  seconds resend_in{0};
};

// A sign-in ends in a session, or in a challenge to answer first.
using SignInResult = std::variant<IssuedSession, ChallengeView>;

struct AccountView {
  std::string id;
  std::string email;
  bool email_verified = false;
  Timestamp created_at;
  std::string locale;     // U17: one of i18n::kLanguages
  std::string time_zone;  // IANA
};

// The caller of an authenticated request (from its access token).
struct Caller {
  std::string account_id;
  std::string family_id;
  std::string device_id;
  // The device secret hash this session presented or was issued (empty:
  // none). It acts as its trusted device only while this equals the
  // device's current secret hash (service/trust.h ActsAsTrustedDevice).
  std::string device_secret_hash;
};

// A session opening the live channel: whether it acts as its trusted device.
struct DeviceSession {
  Caller caller;
  bool trusted_device = false;
};

}  // namespace twostep::service
