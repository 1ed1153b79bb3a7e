// Use cases on passwords: change (U12), forgot/reset by email code (U13),
// strength check (U14). Change and reset hash passwords: call them on the
// hashing pool. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/secret.h"
#include "domain/password_policy.h"
#include "i18n/messages.h"
#include "service/results.h"
#include "ports/password_hasher.h"
#include "service/email_codes.h"
#include "service/security_policy.h"
#include "service/work_source.h"

namespace twostep::service {

struct ChangePasswordRequest {
  std::string current_password;
  std::string new_password;
  bool sign_out_other_devices = false;
  std::string ip;
};

class Passwords {
 public:
  Passwords(const WorkSource& works, PasswordHasher& hasher, const EmailCodes& codes)
      : works_(works), hasher_(hasher), codes_(codes) {}

  // A weak_password detail is in the account's language.
  // Errors: invalid_credentials (403 on this authenticated call),
  // weak_password, rate_limited (wrong current passwords count as password
  // failures of the account).
  Result<void> Change(const Caller& caller, const ChangePasswordRequest& request);

  // Always the same answer (a challenge id) whether or not the email has an
  // account; only a real account gets a code (and only within the mailbox's
  // mail limit). Errors: invalid_email, rate_limited (per purpose and
  // address, or per client IP).
  Result<std::string> RequestReset(const std::string& email, const std::string& ip);

  // Sets the new password and signs out every session of the account.
  // Errors: invalid_code (+attempts_left), challenge_expired, weak_password,
  // not_found, each the same for a real and a decoy challenge whatever the
  // input (U13); Argon2id runs only after a right code. Two-step still
  // applies to the next sign-in. A weak_password detail is in `lang` (the
  // request's language: nothing tells whose account it is before the code).
  Result<void> ConfirmReset(const std::string& challenge_id, const Secret& code,
                            const std::string& new_password,
                            std::string_view lang = i18n::kDefaultLanguage);

  // The warning and suggestions in `lang`. Errors: invalid_request
  // (invalid UTF-8 / NUL).
  Result<domain::PasswordStrength> Strength(const std::string& password,
                                            const std::string& email,
                                            std::string_view lang = i18n::kDefaultLanguage);

 private:
  // The last step of ConfirmReset, after the code was consumed and the new
  // password hashed outside any transaction.
  Result<void> SetResetPassword(const std::string& account_id, const std::string& hash,
                                const std::string& ip);
  const WorkSource& works_;
  PasswordHasher& hasher_;
  const EmailCodes& codes_;
};

}  // namespace twostep::service
