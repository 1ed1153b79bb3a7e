#include "cli/display.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace twostep::cli {
namespace {

TEST(DisplayTest, TimesAreInTheLanguageAndZoneWithTheZoneNamed) {
  Texts en("en", "Asia/Tokyo");
  EXPECT_EQ(en.Time("2026-11-24T16:15:22.105Z"), "Nov 25, 2026, 1:15\u202fAM Japan Standard Time");
  Texts de("de", "Europe/Prague");
  EXPECT_EQ(de.Time("2026-11-24T16:15:22Z"),
            "24. Nov. 2026, 17:15 Mitteleuropäische Normalzeit");
  Texts ja("ja", "Asia/Tokyo");
  EXPECT_NE(ja.Time("2026-11-24T16:15:22Z").find("日本標準時"), std::string::npos);
}

TEST(DisplayTest, TimesLeaveWhatTheyCannotReadAlone) {
  Texts t("en", "UTC");
  EXPECT_EQ(t.Time(""), "");
  EXPECT_EQ(t.Time("yesterday"), "yesterday");
  EXPECT_EQ(t.Time("2026-11-24T16:15:22+01:00"), "2026-11-24T16:15:22+01:00");
}

TEST(DisplayTest, ActivityIsInWordsNotIdentifiers) {
  Texts en("en", "UTC");
  EXPECT_EQ(ActivityWords(en, "sign_in", "success", "app"),
            "Signed in with a code from a trusted device");
  EXPECT_EQ(ActivityWords(en, "code_failed", "invalid_code", "app"), "Wrong code entered");
  EXPECT_EQ(ActivityWords(en, "two_step_change", "enabled", ""), "Two-Step Verification turned on");
  EXPECT_EQ(ActivityWords(en, "sign_in", "failed", "password"), "Wrong password");
  EXPECT_EQ(ActivityWords(en, "new_kind", "odd_thing", ""), "new kind: odd thing");
  Texts de("de", "UTC");
  EXPECT_EQ(ActivityWords(de, "two_step_change", "enabled", ""),
            "Bestätigung in zwei Schritten eingeschaltet");
}

TEST(DisplayTest, PlaceSkipsRepeatsNamesTheCountryInTheLanguageAndSaysUnknown) {
  Texts en("en", "UTC");
  EXPECT_EQ(PlaceOf(en, boost::json::value(nullptr)), "Unknown location");
  EXPECT_EQ(PlaceOf(en, boost::json::parse(
                            R"({"city":"Prague","region":"Prague","country":"Czechia"})")),
            "Prague, Czechia");
  const auto taipei =
      boost::json::parse(R"({"city":"Taipei","region":"","country":"Taiwan","country_code":"TW"})");
  EXPECT_EQ(PlaceOf(Texts("zh-Hant", "UTC"), taipei), "Taipei, 台灣");
  EXPECT_EQ(PlaceOf(Texts("de", "UTC"), boost::json::parse(R"({"country_code":"CZ"})")),
            "Tschechien");
}

TEST(DisplayTest, ResolvedRequestsSayHowTheyEnded) {
  Texts en("en", "UTC");
  EXPECT_EQ(ResolvedWords(en, "laptop", "verified"),
            "The sign-in request from laptop — Approved: the device signed in.");
  EXPECT_NE(ResolvedWords(en, "laptop", "moved_to_email").find("no longer works"),
            std::string::npos);
}

}  // namespace
}  // namespace twostep::cli
