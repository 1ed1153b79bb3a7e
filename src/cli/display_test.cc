#include "cli/display.h"

#include <cstdlib>
#include <ctime>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace twostep::cli {
namespace {

class ZoneTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tz = std::getenv("TZ");
    saved_ = tz ? tz : "";
    had_ = tz != nullptr;
  }
  void TearDown() override {
    if (had_)
      ::setenv("TZ", saved_.c_str(), 1);
    else
      ::unsetenv("TZ");
    ::tzset();
  }
  void Use(const char* zone) {
    ::setenv("TZ", zone, 1);
    ::tzset();
  }
  std::string saved_;
  bool had_ = false;
};

TEST_F(ZoneTest, LocalTimeNamesTheZone) {
  Use("UTC");
  EXPECT_EQ(LocalTime("2026-11-24T16:15:22.105Z"), "2026-11-24 16:15:22 UTC");
  Use("Europe/Prague");
  EXPECT_EQ(LocalTime("2026-11-24T16:15:22Z"), "2026-11-24 17:15:22 CET");
  EXPECT_EQ(LocalTime("2026-07-01T10:00:00.5Z"), "2026-07-01 12:00:00 CEST");
}

TEST_F(ZoneTest, LocalTimeLeavesWhatItCannotReadAlone) {
  Use("UTC");
  EXPECT_EQ(LocalTime(""), "");
  EXPECT_EQ(LocalTime("yesterday"), "yesterday");
  EXPECT_EQ(LocalTime("2026-11-24T16:15:22+01:00"), "2026-11-24T16:15:22+01:00");
}

TEST(DisplayTest, ActivityIsInWordsNotIdentifiers) {
  EXPECT_EQ(ActivityWords("sign_in", "success", "app"),
            "Signed in with a code from a trusted device");
  EXPECT_EQ(ActivityWords("code_failed", "invalid_code", "app"), "Wrong code entered");
  EXPECT_EQ(ActivityWords("two_step_change", "enabled", ""), "Two-Step Verification turned on");
  EXPECT_EQ(ActivityWords("sign_in", "failed", "password"), "Wrong password");
  EXPECT_EQ(ActivityWords("new_kind", "odd", ""), "New kind: odd");
}

TEST(DisplayTest, PlaceSkipsRepeatsAndSaysUnknown) {
  EXPECT_EQ(PlaceOf(boost::json::value(nullptr)), "Unknown");
  EXPECT_EQ(
      PlaceOf(boost::json::parse(R"({"city":"Prague","region":"Prague","country":"Czechia"})")),
      "Prague, Czechia");
}

}  // namespace
}  // namespace twostep::cli
