#include "base/time.h"

#include <ctime>

#include <fmt/format.h>

namespace twostep {

namespace {
std::tm ToTm(Timestamp t) {
  std::time_t secs = static_cast<std::time_t>(
      std::chrono::floor<seconds>(t).time_since_epoch().count());
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}
}  // namespace

std::string FormatRfc3339(Timestamp t) {
  // Digits written by hand: this stamps every log line, one per HTTP
  // request, where fmt and gmtime_r were a fifth of the request's
  // instructions (issue #18). Years outside 0..9999 take fmt's way below.
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const int year = static_cast<int>(ymd.year());
  if (year >= 0 && year <= 9999) {
    const std::chrono::hh_mm_ss hms{t - day};
    std::string out = "0000-00-00T00:00:00.000Z";
    auto put = [&out](size_t at, int digits, long long v) {
      for (int i = digits - 1; i >= 0; --i, v /= 10) out[at + static_cast<size_t>(i)] = static_cast<char>('0' + v % 10);
    };
    put(0, 4, year);
    put(5, 2, static_cast<unsigned>(ymd.month()));
    put(8, 2, static_cast<unsigned>(ymd.day()));
    put(11, 2, hms.hours().count());
    put(14, 2, hms.minutes().count());
    put(17, 2, hms.seconds().count());
    put(20, 3, hms.subseconds().count());
    return out;
  }
  std::tm tm = ToTm(t);
  auto ms = ToMillis(t) % 1000;
  if (ms < 0) ms += 1000;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

std::string FormatRfc5322(Timestamp t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm tm = ToTm(t);
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000", kDays[tm.tm_wday],
                     tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

}  // namespace twostep
