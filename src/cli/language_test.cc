#include "cli/language.h"

#include <gtest/gtest.h>

namespace twostep::cli {
namespace {

LanguageSources Env(std::string lc_all, std::string lc_messages, std::string lang) {
  return {"", "", std::move(lc_all), std::move(lc_messages), std::move(lang)};
}

TEST(LanguageTest, FlagWinsOverAccountOverEnvironmentOverEnglish) {
  EXPECT_EQ(ChooseLanguage({"de", "ja", "fr_FR.UTF-8", "", "es_ES.UTF-8"}), "de");
  EXPECT_EQ(ChooseLanguage({"", "ja", "fr_FR.UTF-8", "", "es_ES.UTF-8"}), "ja");
  EXPECT_EQ(ChooseLanguage({"", "", "fr_FR.UTF-8", "", "es_ES.UTF-8"}), "fr");
  EXPECT_EQ(ChooseLanguage({"", "", "", "", ""}), "en");
}

TEST(LanguageTest, EnvironmentFollowsPosixPrecedence) {
  EXPECT_EQ(ChooseLanguage(Env("", "cs_CZ.UTF-8", "de_DE.UTF-8")), "cs");
  EXPECT_EQ(ChooseLanguage(Env("", "", "ja_JP.UTF-8")), "ja");
  EXPECT_EQ(ChooseLanguage(Env("zh_TW.UTF-8", "", "")), "zh-Hant");
  EXPECT_EQ(ChooseLanguage(Env("", "", "zh_CN.UTF-8")), "zh-Hans");
  // The first variable set decides, also for a language the catalog lacks.
  EXPECT_EQ(ChooseLanguage(Env("sv_SE.UTF-8", "", "de_DE.UTF-8")), "en");
  EXPECT_EQ(ChooseLanguage(Env("C", "", "ja_JP.UTF-8")), "en");
  EXPECT_EQ(ChooseLanguage(Env("", "", "C.UTF-8")), "en");
}

TEST(LanguageTest, FlagTakesTagsAndPosixNames) {
  EXPECT_EQ(LanguageForFlag("zh-Hant"), "zh-Hant");
  EXPECT_EQ(LanguageForFlag("zh-TW"), "zh-Hant");
  EXPECT_EQ(LanguageForFlag("ja_JP.UTF-8"), "ja");
  EXPECT_EQ(LanguageForFlag("de-AT"), "de");
  EXPECT_EQ(LanguageForFlag("klingon"), std::nullopt);
  EXPECT_EQ(LanguageForFlag(""), std::nullopt);
  // An unknown flag is refused by the parse; here it falls through.
  EXPECT_EQ(ChooseLanguage({"klingon", "", "", "", "ja_JP.UTF-8"}), "ja");
}

TEST(LanguageTest, ZoneFromTzThenLocaltimeThenUtc) {
  EXPECT_EQ(ZoneName("Asia/Tokyo", "/usr/share/zoneinfo/Europe/Prague"), "Asia/Tokyo");
  EXPECT_EQ(ZoneName(":Europe/Berlin", ""), "Europe/Berlin");
  EXPECT_EQ(ZoneName("/usr/share/zoneinfo/Asia/Taipei", ""), "Asia/Taipei");
  EXPECT_EQ(ZoneName("", "/usr/share/zoneinfo/Europe/Prague"), "Europe/Prague");
  EXPECT_EQ(ZoneName("CET-1CEST", "../usr/share/zoneinfo/posix/Asia/Tokyo"), "Asia/Tokyo");
  EXPECT_EQ(ZoneName("JST-9", ""), "UTC");
  EXPECT_EQ(ZoneName("", ""), "UTC");
}

}  // namespace
}  // namespace twostep::cli
