#include "domain/password_policy.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <sodium.h>
#include <utf8proc.h>
#include <zxcvbn.h>

#include "domain/random_values.h"

namespace twostep::domain {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return out;
}

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char ch : s)
    if ((ch & 0xC0) != 0x80) ++n;
  return n;
}

// Original zxcvbn's guess thresholds, from entropy bits (guesses = 2^bits).
int ScoreFromEntropy(double bits) {
  double log10_guesses = bits * std::log10(2.0);
  if (log10_guesses < 3) return 0;
  if (log10_guesses < 6) return 1;
  if (log10_guesses < 8) return 2;
  if (log10_guesses < 10) return 3;
  return 4;
}

// Feedback modelled on zxcvbn's, from the longest recognised pattern.
void Feedback(ZxcTypeMatch_t type, bool whole, PasswordStrength& s) {
  switch (static_cast<int>(type) & ~MULTIPLE_MATCH) {
    case DICTIONARY_MATCH:
    case DICT_LEET_MATCH:
      s.warning = whole ? "This is a commonly used password."
                        : "A word on its own is easy to guess.";
      if (type == DICT_LEET_MATCH)
        s.suggestions.push_back("Predictable substitutions like '@' instead of 'a' don't help very much.");
      break;
    case USER_MATCH:
    case USER_LEET_MATCH:
      s.warning = "Passwords based on your email address are easy to guess.";
      break;
    case SPATIAL_MATCH:
      s.warning = "Straight rows of keys are easy to guess.";
      s.suggestions.push_back("Use a longer keyboard pattern with more turns.");
      break;
    case REPEATS_MATCH:
      s.warning = "Repeats like \"aaa\" or \"abcabc\" are easy to guess.";
      s.suggestions.push_back("Avoid repeated words and characters.");
      break;
    case SEQUENCE_MATCH:
      s.warning = "Sequences like abc or 6543 are easy to guess.";
      s.suggestions.push_back("Avoid sequences.");
      break;
    case DATE_MATCH:
    case YEAR_MATCH:
      s.warning = "Dates and years are often easy to guess.";
      s.suggestions.push_back("Avoid dates and years that are associated with you.");
      break;
    default:
      break;
  }
}

}  // namespace

Result<Secret> NormalizePassword(std::string_view raw) {
  for (unsigned char ch : raw)
    if (ch < 0x20 || ch == 0x7f)
      return Error::InvalidRequest("The password contains control characters.");
  utf8proc_uint8_t* out = nullptr;
  auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(raw.data()),
                        static_cast<utf8proc_ssize_t>(raw.size()), &out,
                        static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                                       UTF8PROC_COMPAT));
  if (n < 0) {
    std::free(out);
    return Error::InvalidRequest("The password is not valid UTF-8.");
  }
  Secret normalized(std::string(reinterpret_cast<char*>(out), static_cast<size_t>(n)));
  sodium_memzero(out, static_cast<size_t>(n));
  std::free(out);
  // C1 controls survive the byte check above; NFKC keeps them too.
  utf8proc_int32_t cp;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(normalized.Reveal().data());
  for (utf8proc_ssize_t i = 0, len = static_cast<utf8proc_ssize_t>(normalized.size()); i < len;) {
    auto step = utf8proc_iterate(p + i, len - i, &cp);
    if (step <= 0) return Error::InvalidRequest("The password is not valid UTF-8.");
    if (cp >= 0x80 && cp <= 0x9f) return Error::InvalidRequest("The password contains control characters.");
    i += step;
  }
  return normalized;
}

PasswordStrength EvaluatePassword(const Secret& normalized, std::string_view email,
                                  const PasswordRules& rules) {
  PasswordStrength s;
  const std::string lower_email = Lower(email);
  const auto at = lower_email.find('@');
  const std::string local = at == std::string::npos ? lower_email : lower_email.substr(0, at);
  std::string domain_word;
  if (at != std::string::npos) {
    domain_word = lower_email.substr(at + 1);
    domain_word = domain_word.substr(0, domain_word.find('.'));
  }
  std::vector<const char*> words;
  if (!lower_email.empty()) words.push_back(lower_email.c_str());
  if (!local.empty()) words.push_back(local.c_str());
  if (domain_word.size() >= 3) words.push_back(domain_word.c_str());
  words.push_back(nullptr);

  std::string pw(normalized.Reveal());
  ZxcMatch_t* info = nullptr;
  double bits = ZxcvbnMatch(pw.c_str(), words.data(), &info);
  s.score = ScoreFromEntropy(bits);
  const ZxcMatch_t* longest = nullptr;
  for (const ZxcMatch_t* m = info; m; m = m->Next)
    if (m->Type != BRUTE_MATCH && (!longest || m->Length > longest->Length)) longest = m;
  if (longest && s.score < 3)
    Feedback(longest->Type, longest->Length >= static_cast<int>(CodePoints(pw)), s);
  ZxcvbnFreeInfo(info);
  if (s.score < 3) s.suggestions.push_back("Add another word or two. Uncommon words are better.");

  const size_t length = CodePoints(pw);
  std::string lower_pw = Lower(pw);
  std::string refusal;
  if (length < rules.min_length) {
    refusal = "Use at least " + std::to_string(rules.min_length) + " characters.";
  } else if (length > rules.max_length) {
    refusal = "Use at most " + std::to_string(rules.max_length) + " characters.";
  } else if (!lower_email.empty() && lower_pw == lower_email) {
    refusal = "The password must not be your email address.";
  } else if (CodePoints(local) >= 4 && lower_pw.find(local) != std::string::npos) {
    refusal = "The password must not contain the name of your email address.";
  } else if (s.score < rules.min_score) {
    refusal = s.warning.empty() ? "This password is too easy to guess." : s.warning;
  }
  s.acceptable = refusal.empty();
  if (!s.acceptable) s.warning = refusal;
  sodium_memzero(pw.data(), pw.size());
  sodium_memzero(lower_pw.data(), lower_pw.size());
  return s;
}

Result<void> CheckNewPassword(const Secret& normalized, std::string_view email,
                              const PasswordRules& rules) {
  auto s = EvaluatePassword(normalized, email, rules);
  if (s.acceptable) return Ok();
  return Error{ErrorCode::kWeakPassword, s.warning};
}

Secret GeneratePassword(Random& random, size_t length, bool symbols) {
  static constexpr std::string_view kLower = "abcdefghijkmnopqrstuvwxyz";
  static constexpr std::string_view kUpper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
  static constexpr std::string_view kDigits = "23456789";
  static constexpr std::string_view kSymbols = "!#$%&*+-=?@^_~";
  const std::string alphabet = std::string(kLower) + std::string(kUpper) + std::string(kDigits) +
                               (symbols ? std::string(kSymbols) : std::string());
  length = std::clamp<size_t>(length, 12, 128);
  while (true) {
    std::string out(length, '\0');
    for (char& ch : out) ch = alphabet[UniformBelow(random, static_cast<uint32_t>(alphabet.size()))];
    auto has = [&](std::string_view cls) {
      return out.find_first_of(cls) != std::string::npos;
    };
    if (has(kLower) && has(kUpper) && has(kDigits) && (!symbols || has(kSymbols)))
      return Secret(std::move(out));
    sodium_memzero(out.data(), out.size());
  }
}

}  // namespace twostep::domain
