#include "base/time.h"

#include <ctime>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace twostep {
namespace {

// FormatRfc3339 as it was written with gmtime_r and fmt.
std::string WithFmt(Timestamp t) {
  std::time_t secs = static_cast<std::time_t>(std::chrono::floor<seconds>(t).time_since_epoch().count());
  std::tm tm{};
  gmtime_r(&secs, &tm);
  auto ms = ToMillis(t) % 1000;
  if (ms < 0) ms += 1000;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

TEST(TimeTest, FormatRfc3339) {
  EXPECT_EQ(FormatRfc3339(FromMillis(1795964766123)), "2026-11-29T15:06:06.123Z");
  EXPECT_EQ(FormatRfc3339(FromMillis(0)), "1970-01-01T00:00:00.000Z");
}

TEST(TimeTest, FormatRfc3339IsWhatGmtimeAndFmtWrote) {
  for (int64_t ms : {int64_t{0}, int64_t{-1}, int64_t{-1000}, int64_t{-86400001}, int64_t{951782400000},
                     int64_t{951868799999}, int64_t{4102444800000}, int64_t{253402300799999},
                     int64_t{253402300800000}, int64_t{-62167219200000}, int64_t{-62167219200001}})
    EXPECT_EQ(FormatRfc3339(FromMillis(ms)), WithFmt(FromMillis(ms))) << ms;
  for (int64_t ms = -400LL * 365 * 86400000; ms < 600LL * 365 * 86400000; ms += 7777777777)
    ASSERT_EQ(FormatRfc3339(FromMillis(ms)), WithFmt(FromMillis(ms))) << ms;
}

}  // namespace
}  // namespace twostep
