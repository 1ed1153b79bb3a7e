// Metrics: Prometheus text-format counters and a latency histogram.
// Labels are route patterns and fixed vocabulary, never user input, so no
// secret or unbounded cardinality reaches /metrics. Thread-safe. The
// per-request series live in one shard per thread (issue #18: no shared
// lock and no allocation on the request path once a route was seen); a
// scrape merges the shards.
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
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
  // A gauge read at each scrape, for values only their owner can read
  // (SQLite's memory): twostep_<name>. `read` must not call back into this.
  void AddGaugeSource(std::string name, std::function<double()> read);
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
  using RequestKeyView = std::tuple<std::string_view, std::string_view, int>;
  // Orders keys and their views alike, so a lookup needs no strings.
  struct RequestKeyLess {
    using is_transparent = void;
    static RequestKeyView View(const RequestKey& k) { return {std::get<0>(k), std::get<1>(k), std::get<2>(k)}; }
    static const RequestKeyView& View(const RequestKeyView& k) { return k; }
    template <class A, class B>
    bool operator()(const A& a, const B& b) const { return View(a) < View(b); }
  };
  struct RequestShard {
    std::mutex mutex;  // taken by its own thread and by a scrape, so all but uncontended
    std::map<RequestKey, uint64_t, RequestKeyLess> requests;  // GUARDED_BY(mutex)
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
  std::map<std::string, std::function<double()>> gauge_sources_;            // GUARDED_BY(mutex_)
  std::map<std::pair<std::string, std::string>, Histogram> observed_;       // GUARDED_BY(mutex_)
};

}  // namespace twostep::http
