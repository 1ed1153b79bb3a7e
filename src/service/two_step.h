// Use cases of the Two-Step Verification switch (U3, U4) and the Login
// Security summary. Turning on the first time needs an email code; the
// device that turns it on becomes trusted. Turning off needs the password
// (hashes: run on the hashing pool). Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "base/result.h"
#include "base/secret.h"
#include "service/results.h"
#include "ports/password_hasher.h"
#include "service/email_codes.h"
#include "service/security_policy.h"
#include "service/trust.h"
#include "service/work_source.h"

namespace twostep::service {

struct SecurityView {
  bool available = false;
  bool enabled = false;
  std::string default_method;  // "app" with trusted devices, else "email"
  int trusted_devices = 0;
  Timestamp password_changed_at;
  // False after a permanent SMTP refusal of the account's address, until a
  // delivery is accepted again (Account::email_undeliverable_since).
  bool email_deliverable = true;
  std::string email_masked;  // "a***@example.com", for "We could not deliver mail to …"
};

// Either a challenge to answer (first time: a code went by email) or done
// (with the calling device's new secret).
struct EnableResult {
  std::optional<ChallengeView> challenge;
  std::optional<Secret> device_secret;
};

class TwoStep {
 public:
  TwoStep(const WorkSource& works, PasswordHasher& hasher, const EmailCodes& codes,
          const DeviceTrust& trust)
      : works_(works), hasher_(hasher), codes_(codes), trust_(trust) {}

  // The Login Security summary, read in the snapshot that checks the token.
  Result<SecurityView> Security(const Secret& access_token);
  // 403 forbidden when outside the rollout for the caller's app. Already
  // on: changes nothing and trusts no one (neither field set). The first
  // time: a challenge (email code). Later: needs the current `password`
  // (400 password_required when missing, 403 invalid_credentials when wrong, counted as a
  // password failure) and trusts the calling device. Hashes a password:
  // run on the hashing pool.
  Result<EnableResult> Enable(const Caller& caller, const std::optional<std::string>& password,
                              const std::string& ip);
  // Errors as EmailCodes::Consume; 404 when the challenge is another account's.
  Result<Secret> VerifyEnable(const Caller& caller, const std::string& challenge_id,
                              const Secret& code, const std::string& ip);
  // 403 invalid_credentials for a wrong password (counted as a failure).
  Result<void> Disable(const Caller& caller, const std::string& password, const std::string& ip);

 private:
  Result<domain::Account> LoadAvailable(Transaction& tx, const SecurityPolicy& policy,
                                        const Caller& caller);
  // Checks the current password of the caller's account (throttled; a wrong
  // one is recorded as a password failure with `failed_event`).
  Result<void> CheckPassword(const PolicySnapshot& policy, const Caller& caller,
                             const std::optional<std::string>& password, const std::string& ip);
  // Turns two-step on, trusts the caller's device (the session now holds
  // its secret) and sends the notice; in `work`, not committed.
  Secret SwitchOn(UnitOfWork& work, domain::Account& account, const Caller& caller,
                  const domain::DeviceDescription& device, const std::string& ip);
  const WorkSource& works_;
  PasswordHasher& hasher_;
  const EmailCodes& codes_;
  const DeviceTrust& trust_;
};

}  // namespace twostep::service
