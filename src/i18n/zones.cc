// Times in a person's zone and country names in their language (CLDR).
#include <memory>
#include <unicode/dtptngen.h>
#include <unicode/smpdtfmt.h>

#include "i18n/icu_text.h"
#include "i18n/messages.h"

namespace twostep::i18n {

namespace {
// IANA names are at most a few dozen ASCII characters.
constexpr size_t kMaxZoneName = 64;
// Medium date, short time in the locale's hour cycle, the zone's long name.
constexpr char16_t kInstantSkeleton[] = u"yMMMdjmzzzz";
}  // namespace

bool IsTimeZone(std::string_view iana) {
  if (iana.empty() || iana.size() > kMaxZoneName) return false;
  for (char c : iana)
    if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7e) return false;
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString canonical;
  UBool is_system_id = false;
  icu::TimeZone::getCanonicalID(ToIcu(iana), canonical, is_system_id, status);
  return U_SUCCESS(status) && is_system_id;
}

std::unique_ptr<icu::TimeZone> ZoneOf(std::string_view iana) {
  return std::unique_ptr<icu::TimeZone>(
      icu::TimeZone::createTimeZone(ToIcu(IsTimeZone(iana) ? iana : kDefaultTimeZone)));
}

std::string FormatInstant(std::string_view lang, std::string_view iana, Timestamp at) {
  const icu::Locale locale = LocaleOf(lang);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::DateTimePatternGenerator> generator(
      icu::DateTimePatternGenerator::createInstance(locale, status));
  if (U_FAILURE(status)) return FormatRfc3339(at);
  const icu::UnicodeString pattern = generator->getBestPattern(kInstantSkeleton, status);
  icu::SimpleDateFormat format(pattern, locale, status);
  if (U_FAILURE(status)) return FormatRfc3339(at);
  format.adoptTimeZone(ZoneOf(iana).release());
  icu::UnicodeString out;
  format.format(static_cast<UDate>(ToMillis(at)), out);
  return FromIcu(out);
}

std::string CountryName(std::string_view lang, std::string_view iso2) {
  const auto is_letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  if (iso2.size() != 2 || !is_letter(iso2[0]) || !is_letter(iso2[1])) return std::string(iso2);
  const std::string region{static_cast<char>(iso2[0] & ~0x20), static_cast<char>(iso2[1] & ~0x20)};
  const icu::Locale place("", region.c_str());
  icu::UnicodeString name;
  place.getDisplayCountry(LocaleOf(lang), name);
  // ICU answers with the code itself for a region it has no name for.
  return name.isEmpty() ? std::string(iso2) : FromIcu(name);
}

}  // namespace twostep::i18n
