// Choosing one of kLanguages from what a browser or a terminal says.
#include <algorithm>
#include <unicode/localematcher.h>

#include "i18n/icu_text.h"
#include "i18n/messages.h"

namespace twostep::i18n {

namespace {

// Longer Accept-Language values are not a browser's: treated as no preference.
constexpr size_t kMaxAcceptLanguage = 1024;

// ICU's LocaleMatcher over kLanguages (immutable and thread-safe once built).
// With `fallback`, no match is English; without, it is nullptr.
const icu::LocaleMatcher& Matcher(bool fallback) {
  static const auto build = [](bool with_default) {
    UErrorCode status = U_ZERO_ERROR;
    icu::LocaleMatcher::Builder builder;
    for (std::string_view lang : kLanguages) builder.addSupportedLocale(LocaleOf(lang));
    if (!with_default) builder.setNoDefaultLocale();
    return builder.build(status);  // only fails when out of memory
  };
  static const icu::LocaleMatcher with_default = build(true);
  static const icu::LocaleMatcher without_default = build(false);
  return fallback ? with_default : without_default;
}

// The tag of kLanguages that `locale` (a supported locale) is.
std::string TagOf(const icu::Locale* locale) {
  if (locale == nullptr) return "";
  for (std::string_view lang : kLanguages)
    if (LocaleOf(lang) == *locale) return std::string(lang);
  return "";
}

}  // namespace

icu::Locale LocaleOf(std::string_view lang) {
  if (!IsLanguage(lang)) lang = kDefaultLanguage;
  UErrorCode status = U_ZERO_ERROR;
  return icu::Locale::forLanguageTag(icu::StringPiece(lang.data(), static_cast<int32_t>(lang.size())), status);
}

bool IsLanguage(std::string_view lang) {
  return std::find(kLanguages.begin(), kLanguages.end(), lang) != kLanguages.end();
}

std::string NegotiateLanguage(std::string_view accept_language) {
  if (accept_language.empty() || accept_language.size() > kMaxAcceptLanguage)
    return std::string(kDefaultLanguage);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Locale* best = Matcher(true).getBestMatchForListString(
      icu::StringPiece(accept_language.data(), static_cast<int32_t>(accept_language.size())), status);
  const std::string tag = U_SUCCESS(status) ? TagOf(best) : "";
  return tag.empty() ? std::string(kDefaultLanguage) : tag;
}

std::string LanguageFromPosixLocale(std::string_view posix_locale) {
  // language[_territory][.codeset][@modifier]
  std::string name(posix_locale.substr(0, posix_locale.find_first_of(".@")));
  if (name.empty() || name == "C" || name == "POSIX") return "";
  std::replace(name.begin(), name.end(), '_', '-');
  UErrorCode status = U_ZERO_ERROR;
  const icu::Locale desired = icu::Locale::forLanguageTag(name, status);
  if (U_FAILURE(status) || desired.isBogus()) return "";
  const icu::Locale* best = Matcher(false).getBestMatch(desired, status);
  return U_SUCCESS(status) ? TagOf(best) : "";
}

}  // namespace twostep::i18n
