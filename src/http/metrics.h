// Metrics: Prometheus text-format counters and a latency histogram.
// Labels are route patterns and fixed vocabulary, never user input, so no
// secret or unbounded cardinality reaches /metrics. Thread-safe. The
// per-request series live in one shard per thread (issue #18: no shared
// lock and no allocation on the request path once a route was seen); a
// scrape merges the shards.
#pragma once

#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "ports/counters.h"

namespace twostep::http {

class Metrics : public Counters {
 public:
  Metrics();
  void Increment(std::string_view name, std::string_view label) override;
  void RecordRequest(std::string_view route, std::string_view method, int status,
                     std::chrono::duration<double> elapsed);
  void SetGauge(std::string_view name, double value) override;
  // twostep_<name>{provider=<label>} histogram (the push round trips).
  void Observe(std::string_view name, std::string_view label, double seconds) override;
  std::string Render() const;

 private:
  static constexpr std::array<double, 11> kBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                   0.1,   0.25,   0.5,   1.0,  2.5};
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};
    uint64_t count = 0;
    double sum = 0;
  };
  using RequestKey = std::tuple<std::string, std::string, int>;  // route, method, status
  struct RequestShard {
    std::mutex mutex;  // taken by its own thread and by a scrape, so all but uncontended
    std::map<RequestKey, uint64_t, std::less<>> requests;     // GUARDED_BY(mutex)
    std::map<std::string, Histogram, std::less<>> latency;    // GUARDED_BY(mutex)
  };
  RequestShard& LocalShard();
  void MergeShards(std::map<RequestKey, uint64_t>& requests, std::map<std::string, Histogram>& latency) const;

  const uint64_t id_;  // tells this instance's shards apart in a thread's cache, never reused
  mutable std::mutex shards_mutex_;
  std::vector<std::unique_ptr<RequestShard>> shards_;  // GUARDED_BY(shards_mutex_)

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, uint64_t> counters_;        // GUARDED_BY(mutex_)
  std::map<std::string, double> gauges_;                                    // GUARDED_BY(mutex_)
  std::map<std::pair<std::string, std::string>, Histogram> observed_;       // GUARDED_BY(mutex_)
};

}  // namespace twostep::http
