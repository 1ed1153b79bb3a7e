// The messages people read, in their language (issue #24, SPEC U17,
// docs/I18N.md). The catalog (locales/<lang>/<area>.json, ICU MessageFormat
// strings) is compiled into the binary; this is the one way the server and
// the command-line client turn a key into text, format times and name
// countries. Everything here is thread-safe and reads no file.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "base/time.h"

namespace twostep::i18n {

// The languages twostep speaks, as BCP 47 tags; "en" is the reference and
// the fallback.
inline constexpr std::array<std::string_view, 8> kLanguages{
    "en", "zh-Hant", "zh-Hans", "de", "fr", "es", "ja", "cs"};
inline constexpr std::string_view kDefaultLanguage = "en";
inline constexpr std::string_view kDefaultTimeZone = "UTC";

// A message argument: text, an integer (for {n, number} and {n, plural}) or
// an instant (for {at, date, medium} and {at, time, short}).
using ArgValue = std::variant<std::string, std::int64_t, Timestamp>;

// The named arguments of one message, and the IANA time zone its dates and
// times are shown in (UTC unless set). Instants must be top-level arguments
// of the message (not inside a plural or select): nested ones would be shown
// in the process's zone.
class Args {
 public:
  Args() = default;
  Args(std::initializer_list<std::pair<std::string_view, ArgValue>> values);
  Args& Set(std::string_view name, ArgValue value);
  // `iana` must be IsTimeZone(); an unknown zone is shown as UTC.
  Args& InTimeZone(std::string_view iana);

  const std::vector<std::pair<std::string, ArgValue>>& values() const { return values_; }
  const std::string& time_zone() const { return time_zone_; }

 private:
  std::vector<std::pair<std::string, ArgValue>> values_;
  std::string time_zone_{kDefaultTimeZone};
};

// The message `key` in `lang` with `args`. An unknown language is English;
// a key missing in the language is the English message. A key missing in
// English, or a message ICU cannot parse, is a programming error:
// std::logic_error (the catalog test keeps the files from getting there).
std::string Format(std::string_view lang, std::string_view key, const Args& args = {});

// `pattern` (ICU MessageFormat) formatted in `lang` with `args`, for
// messages that are not in the catalog (tests, the catalog test). Throws
// std::logic_error when ICU cannot parse or format it.
std::string FormatPattern(std::string_view lang, std::string_view pattern, const Args& args = {});

// True for the exact tags of kLanguages ("zh-Hant", not "zh-hant" or "zh_TW").
bool IsLanguage(std::string_view lang);

// The best of kLanguages for an HTTP Accept-Language value (ICU's
// LocaleMatcher, q-values honoured): "zh-TW" is "zh-Hant", "zh-CN" is
// "zh-Hans"; an empty, unmatched or malformed value is "en".
std::string NegotiateLanguage(std::string_view accept_language);

// The language of a POSIX locale name (LANG, LC_ALL): "ja_JP.UTF-8" is
// "ja", "zh_TW" is "zh-Hant"; "C", "POSIX", "", and locales of languages
// twostep does not speak are "" (no preference: the caller falls back).
std::string LanguageFromPosixLocale(std::string_view posix_locale);

// True for a time zone name ICU knows as an IANA zone ("Asia/Taipei",
// "UTC"); false for custom offsets ("GMT+8") and anything else.
bool IsTimeZone(std::string_view iana);

// `at` as a person in `lang` reads it in zone `iana`: medium date, short time
// and the zone's name, e.g. "Dec 2, 2026, 2:05 PM Central European Standard
// Time" (en) or "2026年12月2日 下午9:05 [台北標準時間]" (zh-Hant); the
// order and words are CLDR's.
std::string FormatInstant(std::string_view lang, std::string_view iana, Timestamp at);

// The name of the country or region `iso2` ("TW", "CZ") in `lang` (CLDR
// display names): "Taiwan", "台灣", "Tschechien". Anything that is not two
// ASCII letters, or a code CLDR does not know, comes back as given.
std::string CountryName(std::string_view lang, std::string_view iso2);

}  // namespace twostep::i18n
