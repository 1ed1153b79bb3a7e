// Password rules of SPEC §2: 8–128 characters after NFKC normalisation,
// zxcvbn score ≥ 2 of 4, not the email and not containing its local part
// (when that is 4+ characters); no composition rules. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/secret.h"
#include "base/random.h"
#include "i18n/messages.h"

namespace twostep::domain {

struct PasswordRules {
  size_t min_length = 8;    // code points, after NFKC
  size_t max_length = 128;
  int min_score = 2;        // zxcvbn 0..4
};

struct PasswordStrength {
  int score = 0;            // 0..4
  bool acceptable = false;  // all rules hold
  std::string warning;      // why it is weak or refused; "" when fine
  std::vector<std::string> suggestions;
};

// Refuses invalid UTF-8, NUL and other control characters (400
// invalid_request) and returns the NFKC form, so "ｐａｓｓ" and "pass" are
// one password everywhere (hashing, checking).
Result<Secret> NormalizePassword(std::string_view raw);

// Scores with zxcvbn (the email, its local part and its domain's first label
// as user words) and applies the rules. Never quotes the password. The
// warning and suggestions are the catalog's common.password.* messages in
// `lang` (an i18n tag; anything else is English), issue #24.
PasswordStrength EvaluatePassword(const Secret& normalized, std::string_view email,
                                  const PasswordRules& rules,
                                  std::string_view lang = i18n::kDefaultLanguage);

// 400 weak_password with the warning (in `lang`) as detail unless acceptable.
Result<void> CheckNewPassword(const Secret& normalized, std::string_view email,
                              const PasswordRules& rules,
                              std::string_view lang = i18n::kDefaultLanguage);

// A random password of `length` (clamped to 12–128) characters from letters,
// digits and (unless `symbols` is false) symbols, without look-alikes, with
// at least one of each class used.
Secret GeneratePassword(Random& random, size_t length = 20, bool symbols = true);

}  // namespace twostep::domain
