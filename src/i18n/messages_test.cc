#include "i18n/messages.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace twostep::i18n {
namespace {

// 2026-12-02T13:05:00Z: 14:05 in Prague (CET), 21:05 in Taipei.
const Timestamp kAt = FromMillis(1796216700000);

TEST(FormatTest, NamedStringAndSelectArguments) {
  EXPECT_EQ(Format("en", "common.activity.sign_in.success", {{"method", "email"}}),
            "Signed in with a code by email");
  EXPECT_EQ(Format("en", "common.activity.sign_in.success", {{"method", "password"}}), "Signed in");
  EXPECT_EQ(Format("en", "common.activity.other", {{"event", "x"}, {"outcome", "y"}}), "x: y");
}

TEST(FormatTest, TheLanguagesOwnMessage) {
  EXPECT_EQ(Format("de", "common.product.two_step_verification"), "Bestätigung in zwei Schritten");
  EXPECT_EQ(Format("zh-Hant", "common.product.two_step_verification"), "兩步驟驗證");
}

TEST(FormatTest, UnknownLanguageIsEnglish) {
  EXPECT_EQ(Format("xx", "common.product.trusted_devices"), "Trusted Devices");
  EXPECT_EQ(Format("", "common.product.trusted_devices"), "Trusted Devices");
  EXPECT_EQ(Format("zh-hant", "common.product.trusted_devices"), "Trusted Devices");
}

TEST(FormatTest, KeyMissingInEnglishIsAProgrammingError) {
  EXPECT_THROW(Format("en", "common.no.such.key"), std::logic_error);
  EXPECT_THROW(Format("de", "common.no.such.key"), std::logic_error);
}

TEST(FormatTest, IntegersAndInstantsInTheArgumentsZone) {
  const std::string count = "{n, plural, one {# device} other {# devices}}";
  EXPECT_EQ(FormatPattern("en", count, {{"n", std::int64_t{1}}}), "1 device");
  EXPECT_EQ(FormatPattern("en", count, {{"n", 3}}), "3 devices");
  EXPECT_EQ(FormatPattern("cs", "{n, plural, one {# zařízení} few {# zařízení} other {# zařízení}}",
                          {{"n", 3}}), "3 zařízení");
  EXPECT_EQ(FormatPattern("de", "{n, number}", {{"n", 1234567}}), "1.234.567");
  const std::string when = "{at, date, medium} {at, time, short}";
  EXPECT_EQ(FormatPattern("en", when, Args{{"at", kAt}}.InTimeZone("Europe/Prague")),
            "Dec 2, 2026 2:05\u202fPM");
  EXPECT_EQ(FormatPattern("en", when, Args{{"at", kAt}}.InTimeZone("Asia/Taipei")),
            "Dec 2, 2026 9:05\u202fPM");
  EXPECT_EQ(FormatPattern("de", when, Args{{"at", kAt}}.InTimeZone("Asia/Taipei")),
            "02.12.2026 21:05");
  EXPECT_EQ(FormatPattern("en", when, {{"at", kAt}}), "Dec 2, 2026 1:05\u202fPM");
}

TEST(FormatTest, APatternICUCannotParseIsAProgrammingError) {
  EXPECT_THROW(FormatPattern("en", "{n, plural, one {x}", {}), std::logic_error);
}

TEST(LanguageTest, IsLanguageIsExact) {
  for (auto lang : kLanguages) EXPECT_TRUE(IsLanguage(lang)) << lang;
  EXPECT_FALSE(IsLanguage("zh"));
  EXPECT_FALSE(IsLanguage("zh_TW"));
  EXPECT_FALSE(IsLanguage("EN"));
  EXPECT_FALSE(IsLanguage(""));
}

TEST(LanguageTest, NegotiatesAcceptLanguage) {
  EXPECT_EQ(NegotiateLanguage("zh-TW"), "zh-Hant");
  EXPECT_EQ(NegotiateLanguage("zh-HK,zh;q=0.9"), "zh-Hant");
  EXPECT_EQ(NegotiateLanguage("zh-CN"), "zh-Hans");
  EXPECT_EQ(NegotiateLanguage("zh"), "zh-Hans");
  EXPECT_EQ(NegotiateLanguage("de-AT,de;q=0.9,en;q=0.8"), "de");
  EXPECT_EQ(NegotiateLanguage("fr-CA"), "fr");
  EXPECT_EQ(NegotiateLanguage("es-MX"), "es");
  EXPECT_EQ(NegotiateLanguage("ja-JP"), "ja");
  EXPECT_EQ(NegotiateLanguage("cs-CZ,cs;q=0.9"), "cs");
  EXPECT_EQ(NegotiateLanguage("sv-SE;q=0.9,de;q=0.5"), "de");
  EXPECT_EQ(NegotiateLanguage("en-GB"), "en");
}

TEST(LanguageTest, GarbageAcceptLanguageIsEnglish) {
  EXPECT_EQ(NegotiateLanguage(""), "en");
  EXPECT_EQ(NegotiateLanguage("sv-SE"), "en");
  EXPECT_EQ(NegotiateLanguage("!!!,;;q=x"), "en");
  EXPECT_EQ(NegotiateLanguage("*"), "en");
  EXPECT_EQ(NegotiateLanguage(std::string(5000, 'a')), "en");
}

TEST(LanguageTest, LanguageFromPosixLocale) {
  EXPECT_EQ(LanguageFromPosixLocale("ja_JP.UTF-8"), "ja");
  EXPECT_EQ(LanguageFromPosixLocale("zh_TW.UTF-8"), "zh-Hant");
  EXPECT_EQ(LanguageFromPosixLocale("zh_CN.GB18030"), "zh-Hans");
  EXPECT_EQ(LanguageFromPosixLocale("de_DE@euro"), "de");
  EXPECT_EQ(LanguageFromPosixLocale("cs_CZ"), "cs");
  EXPECT_EQ(LanguageFromPosixLocale("en_US.UTF-8"), "en");
  EXPECT_EQ(LanguageFromPosixLocale("C"), "");
  EXPECT_EQ(LanguageFromPosixLocale("C.UTF-8"), "");
  EXPECT_EQ(LanguageFromPosixLocale("POSIX"), "");
  EXPECT_EQ(LanguageFromPosixLocale(""), "");
  EXPECT_EQ(LanguageFromPosixLocale("sv_SE.UTF-8"), "");
  EXPECT_EQ(LanguageFromPosixLocale("%%%"), "");
}

TEST(TimeZoneTest, IanaNamesOnly) {
  EXPECT_TRUE(IsTimeZone("Asia/Taipei"));
  EXPECT_TRUE(IsTimeZone("Europe/Prague"));
  EXPECT_TRUE(IsTimeZone("America/Argentina/Buenos_Aires"));
  EXPECT_TRUE(IsTimeZone("UTC"));
  EXPECT_FALSE(IsTimeZone(""));
  EXPECT_FALSE(IsTimeZone("Mars/Olympus_Mons"));
  EXPECT_FALSE(IsTimeZone("GMT+8"));
  EXPECT_FALSE(IsTimeZone("asia/taipei "));
  EXPECT_FALSE(IsTimeZone("Asia/Taipei\n"));
  EXPECT_FALSE(IsTimeZone(std::string(100, 'A')));
}

// CLDR's words and order, with its narrow no-break space (U+202F) before PM.
TEST(TimeZoneTest, FormatInstantShowsTheZonesName) {
  EXPECT_EQ(FormatInstant("en", "Europe/Prague", kAt), "Dec 2, 2026, 2:05\u202fPM Central European Standard Time");
  EXPECT_EQ(FormatInstant("de", "Europe/Prague", kAt), "2. Dez. 2026, 14:05 Mitteleuropäische Normalzeit");
  EXPECT_EQ(FormatInstant("zh-Hant", "Asia/Taipei", kAt), "2026年12月2日 下午9:05 [台北標準時間]");
  EXPECT_EQ(FormatInstant("en", "UTC", kAt), "Dec 2, 2026, 1:05\u202fPM Coordinated Universal Time");
  // An unknown zone is shown as UTC, never as the server's zone.
  EXPECT_EQ(FormatInstant("en", "Nowhere/Else", kAt), FormatInstant("en", "UTC", kAt));
}

TEST(CountryNameTest, CldrNamesInTheLanguage) {
  EXPECT_EQ(CountryName("en", "TW"), "Taiwan");
  EXPECT_EQ(CountryName("zh-Hant", "TW"), "台灣");
  EXPECT_EQ(CountryName("de", "CZ"), "Tschechien");
  EXPECT_EQ(CountryName("cs", "DE"), "Německo");
  EXPECT_EQ(CountryName("ja", "US"), "アメリカ合衆国");
  EXPECT_EQ(CountryName("xx", "FR"), "France");
  EXPECT_EQ(CountryName("fr", "cz"), "Tchéquie");
}

TEST(CountryNameTest, NotACodeComesBackAsGiven) {
  EXPECT_EQ(CountryName("en", ""), "");
  EXPECT_EQ(CountryName("en", "T"), "T");
  EXPECT_EQ(CountryName("en", "TWN"), "TWN");
  EXPECT_EQ(CountryName("en", "1!"), "1!");
  EXPECT_EQ(CountryName("en", "QZ"), "QZ");
}

}  // namespace
}  // namespace twostep::i18n
