#include "http/metrics.h"

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace twostep::http {
namespace {

using std::chrono::milliseconds;

// The per-request series are kept per thread; a scrape must see the sum of
// every thread's counts, whichever thread recorded them.
TEST(MetricsTest, AScrapeSumsTheRequestsOfEveryThread) {
  Metrics metrics;
  constexpr int kThreads = 4, kEach = 1000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&metrics] {
      for (int i = 0; i < kEach; ++i) metrics.RecordRequest("/healthz", "GET", 200, milliseconds(2));
      metrics.RecordRequest("/v1/sessions", "POST", 401, milliseconds(30));
    });
  for (auto& t : threads) t.join();
  const std::string out = metrics.Render();
  EXPECT_NE(out.find(R"(twostep_http_requests_total{route="/healthz",method="GET",status="200"} 4000)"),
            std::string::npos) << out;
  EXPECT_NE(out.find(R"(twostep_http_requests_total{route="/v1/sessions",method="POST",status="401"} 4)"),
            std::string::npos) << out;
  // 2 ms is above the 1 ms bucket and within 2.5 ms.
  EXPECT_NE(out.find(R"(twostep_http_request_duration_seconds_bucket{route="/healthz",le="0.001"} 0)"),
            std::string::npos) << out;
  EXPECT_NE(out.find(R"(twostep_http_request_duration_seconds_bucket{route="/healthz",le="0.0025"} 4000)"),
            std::string::npos) << out;
  EXPECT_NE(out.find(R"(twostep_http_request_duration_seconds_count{route="/healthz"} 4000)"), std::string::npos);
}

// A thread that recorded into one Metrics and then into another (the
// first one gone) must not reach the first one's shard.
TEST(MetricsTest, ANewInstanceStartsFromZeroOnTheSameThread) {
  {
    Metrics first;
    first.RecordRequest("/healthz", "GET", 200, milliseconds(1));
  }
  Metrics second;
  second.RecordRequest("/healthz", "GET", 200, milliseconds(1));
  EXPECT_NE(second.Render().find(R"(status="200"} 1)"), std::string::npos) << second.Render();
}

// A gauge that only its owner can read (SQLite's own memory) is read at
// each scrape, not when it was last set.
TEST(MetricsTest, AGaugeSourceIsReadAtEachScrape) {
  Metrics metrics;
  double bytes = 1024;
  metrics.AddGaugeSource("sqlite_memory_bytes", [&bytes] { return bytes; });
  EXPECT_NE(metrics.Render().find("twostep_sqlite_memory_bytes 1024\n"), std::string::npos)
      << metrics.Render();
  bytes = 4096;
  EXPECT_NE(metrics.Render().find("twostep_sqlite_memory_bytes 4096\n"), std::string::npos)
      << metrics.Render();
}

}  // namespace
}  // namespace twostep::http
