// Account and the records tied to it, as the domain and the Store see them.
#pragma once

#include <optional>
#include <string>

#include "base/time.h"
#include "domain/device.h"

namespace twostep::domain {

struct Account {
  std::string id;
  std::string email;          // normalised (domain/email_address.h)
  std::string password_hash;  // Argon2id string (ports/password_hasher.h)
  bool email_verified = false;
  Timestamp created_at;
  Timestamp password_changed_at;
  std::string registered_app;
  bool two_step_enabled = false;
  // Set once the owner has proven the mailbox for two-step (U3): later
  // switches on need no new email code.
  bool two_step_email_verified = false;
  // Wrong codes in a row across challenges (SPEC §2), reset by a success.
  int wrong_code_streak = 0;
  // Set when the streak reaches the block threshold: no new challenges.
  std::optional<Timestamp> challenges_blocked_until;
  // Set when a receiving mail server refused mail to `email` for good
  // (SMTP 5xx to RCPT or DATA); cleared by the next delivery it accepts.
  // The email channel is then not offered as if it worked.
  std::optional<Timestamp> email_undeliverable_since;
  // The language of its mails and clients (one of i18n::kLanguages) and the
  // IANA time zone its mails show times in (U17).
  std::string locale = "en";
  std::string time_zone = "UTC";
};

// One refresh-token family: the chain of rotations of one sign-in. Revoking
// it kills every access and refresh token it ever issued.
struct TokenFamily {
  std::string id;
  std::string account_id;
  std::string device_id;  // install id of the device that signed in
  Timestamp created_at;
  // HashToken(device secret) that this session presented at sign-in or was
  // issued with; empty when it proved no trusted device. Only a session
  // whose value equals the device's current secret hash acts as that
  // trusted device (U9).
  std::string device_secret_hash;
};

// What an access token grants, when it is valid.
struct AccessGrant {
  std::string account_id;
  std::string family_id;
  std::string device_id;
  Timestamp expires_at;
  std::string device_secret_hash;  // of the family (TokenFamily)
};

struct RefreshRecord {
  std::string family_id;
  std::string account_id;
  std::string device_id;
  Timestamp expires_at;
  bool used = false;
  bool family_revoked = false;
  std::string device_secret_hash;  // of the family (TokenFamily)
};

// A device known to an account (seen at sign-in), trusted or not. Trust is
// written only by the Store's trust verbs (TrustDevice, UntrustDevice), never
// by a "seen" update, so a sign-in racing a removal cannot restore it.
struct DeviceRecord {
  std::string account_id;
  DeviceDescription description;
  Timestamp first_seen_at;
  Timestamp last_seen_at;
  std::string last_ip;
  bool trusted = false;
  std::string secret_hash;  // HashToken(device secret) when trusted
  std::optional<Timestamp> trusted_at;
};

// A trusted device still trusted at `now`: trusted, and used within `idle`
// (SPEC §2: 180 days).
bool IsLive(const DeviceRecord& device, Timestamp now, seconds idle);

// Wrong codes in a row across an account's sign-in challenges (SPEC §2).
struct WrongCodePolicy {
  int alert = 20;            // the owner is alerted when the streak reaches it
  int block = 50;            // from here new challenges are refused ...
  seconds block_for{3600};   // ... for this long
};
enum class WrongCodeEffect { kNone, kAlertOwner };
// One wrong code: the streak grows, and at `block` new challenges are
// refused until now + block_for. kAlertOwner exactly once, at `alert`.
WrongCodeEffect ApplyWrongCode(Account& account, Timestamp now, const WrongCodePolicy& policy);
// A right code ends the streak; false when there was none (nothing to write).
bool ClearWrongCodes(Account& account);

}  // namespace twostep::domain
