#include "domain/password_policy.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>

#include <sodium.h>
#include <utf8proc.h>
#include <zxcvbn.h>

#include "domain/random_values.h"
#include "i18n/messages.h"

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

// A message of the catalog (common.password.*) and its one number, if any.
struct Message {
  std::string_view key;
  std::string_view arg_name = {};
  std::int64_t arg = 0;
};

std::string Text(std::string_view lang, const Message& m) {
  if (m.arg_name.empty()) return i18n::Format(lang, m.key);
  return i18n::Format(lang, m.key, i18n::Args{{m.arg_name, m.arg}});
}

struct Feedback {
  std::string_view warning;  // "" when none
  std::vector<std::string_view> suggestions;
};

// Feedback modelled on zxcvbn's, from the longest recognised pattern.
Feedback FeedbackFor(ZxcTypeMatch_t type, bool whole) {
  Feedback f;
  switch (static_cast<int>(type) & ~MULTIPLE_MATCH) {
    case DICTIONARY_MATCH:
    case DICT_LEET_MATCH:
      f.warning = whole ? "common.password.warning.common" : "common.password.warning.word";
      if (type == DICT_LEET_MATCH) f.suggestions.push_back("common.password.tip.leet");
      break;
    case USER_MATCH:
    case USER_LEET_MATCH:
      f.warning = "common.password.warning.email";
      break;
    case SPATIAL_MATCH:
      f.warning = "common.password.warning.keyboard_row";
      f.suggestions.push_back("common.password.tip.keyboard");
      break;
    case REPEATS_MATCH:
      f.warning = "common.password.warning.repeats";
      f.suggestions.push_back("common.password.tip.repeats");
      break;
    case SEQUENCE_MATCH:
      f.warning = "common.password.warning.sequence";
      f.suggestions.push_back("common.password.tip.sequences");
      break;
    case DATE_MATCH:
    case YEAR_MATCH:
      f.warning = "common.password.warning.dates";
      f.suggestions.push_back("common.password.tip.dates");
      break;
    default:
      break;
  }
  return f;
}

// Why the rules refuse the password, or nullopt when they hold.
std::optional<Message> Refusal(std::string_view lower_pw, size_t length, std::string_view lower_email,
                               std::string_view local, int score, const PasswordRules& rules,
                               std::string_view warning) {
  if (length < rules.min_length)
    return Message{"common.password.too_short", "min", static_cast<std::int64_t>(rules.min_length)};
  if (length > rules.max_length)
    return Message{"common.password.too_long", "max", static_cast<std::int64_t>(rules.max_length)};
  if (!lower_email.empty() && lower_pw == lower_email) return Message{"common.password.is_email"};
  if (CodePoints(local) >= 4 && lower_pw.find(local) != std::string_view::npos)
    return Message{"common.password.contains_email_name"};
  if (score < rules.min_score)
    return Message{warning.empty() ? std::string_view("common.password.too_easy") : warning};
  return std::nullopt;
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
                                  const PasswordRules& rules, std::string_view lang) {
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
  Feedback feedback;
  if (longest && s.score < 3)
    feedback = FeedbackFor(longest->Type, longest->Length >= static_cast<int>(CodePoints(pw)));
  ZxcvbnFreeInfo(info);
  if (s.score < 3) feedback.suggestions.push_back("common.password.tip.more_words");

  std::string lower_pw = Lower(pw);
  const auto refusal = Refusal(lower_pw, CodePoints(pw), lower_email, local, s.score, rules,
                               feedback.warning);
  sodium_memzero(pw.data(), pw.size());
  sodium_memzero(lower_pw.data(), lower_pw.size());
  s.acceptable = !refusal;
  if (refusal)
    s.warning = Text(lang, *refusal);
  else if (!feedback.warning.empty())
    s.warning = i18n::Format(lang, feedback.warning);
  for (auto key : feedback.suggestions) s.suggestions.push_back(i18n::Format(lang, key));
  return s;
}

Result<void> CheckNewPassword(const Secret& normalized, std::string_view email,
                              const PasswordRules& rules, std::string_view lang) {
  auto s = EvaluatePassword(normalized, email, rules, lang);
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
