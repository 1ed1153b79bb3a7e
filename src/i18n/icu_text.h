// UTF-8 <-> ICU's UTF-16 strings, and ICU locales from twostep's tags.
// Internal to src/i18n.
#pragma once

#include <string>
#include <string_view>
#include <unicode/locid.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>
#include <memory>

namespace twostep::i18n {

inline icu::UnicodeString ToIcu(std::string_view utf8) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
}

inline std::string FromIcu(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

// The ICU locale of one of kLanguages ("zh-Hant" -> zh_Hant); an unknown
// language is English.
icu::Locale LocaleOf(std::string_view lang);

// The zone `iana`, or UTC when it is not IsTimeZone().
std::unique_ptr<icu::TimeZone> ZoneOf(std::string_view iana);

}  // namespace twostep::i18n
