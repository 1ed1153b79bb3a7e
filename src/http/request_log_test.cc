#include "http/request_log.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace twostep::http {
namespace {

// The line as the session formatted it with fmt before.
std::string WithFmt(const RequestLine& l) {
  return fmt::format(
      R"({{"event":"request","request_id":"{}","method":"{}","route":"{}","status":{},"ms":{:.3f},"ip":"{}"}})",
      l.request_id, l.method, l.route, l.status,
      std::chrono::duration<double, std::milli>(l.elapsed).count(), l.ip);
}

TEST(RequestLogTest, LineIsWhatFmtWrote) {
  using std::chrono::nanoseconds;
  for (long long ns : {0LL, 1LL, 499LL, 501LL, 999LL, 1000LL, 123456LL, 999999LL, 1000000LL, 1234567LL,
                       987654321LL, 61234567890LL}) {
    RequestLine l{"0123456789abcdef", "GET", "/v1/challenges/{}/verify", 200, nanoseconds(ns),
                  "203.0.113.7"};
    std::string ours = "before:";
    AppendRequestLine(ours, l);
    EXPECT_EQ(ours, "before:" + WithFmt(l)) << ns << " ns";
  }
  RequestLine empty{"", "", "unparsed", 400, std::chrono::microseconds(1500), ""};
  std::string ours;
  AppendRequestLine(ours, empty);
  EXPECT_EQ(ours, WithFmt(empty));
}

}  // namespace
}  // namespace twostep::http
