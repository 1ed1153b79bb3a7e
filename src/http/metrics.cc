#include "http/metrics.h"

#include <atomic>

#include <fmt/format.h>

namespace twostep::http {

namespace {
// Which label each business counter carries.
std::string_view LabelName(std::string_view counter) {
  if (counter == "logins") return "outcome";
  if (counter == "codes_sent") return "channel";
  if (counter == "mail") return "result";
  if (counter == "password_hashes") return "op";
  if (counter == "push_sent") return "provider";
  if (counter.starts_with("push_")) return "reason";
  return "kind";
}
}  // namespace

void Metrics::Increment(std::string_view name, std::string_view label) {
  std::lock_guard lock(mutex_);
  ++counters_[{std::string(name), std::string(label)}];
}

namespace {
template <class Hist, class Buckets>
void Add(Hist& h, const Buckets& buckets, double s) {
  for (size_t i = 0; i < buckets.size(); ++i)
    if (s <= buckets[i]) ++h.counts[i];
  ++h.count;
  h.sum += s;
}
}  // namespace

void Metrics::Observe(std::string_view name, std::string_view label, double seconds) {
  std::lock_guard lock(mutex_);
  Add(observed_[{std::string(name), std::string(label)}], kBuckets, seconds);
}

Metrics::Metrics() : id_([] {
  static std::atomic<uint64_t> next{1};
  return next++;
}()) {}

Metrics::RequestShard& Metrics::LocalShard() {
  // A thread's shards, one per Metrics it recorded into (one in the server;
  // more only in tests). Keyed by id_, not by address, so a Metrics that
  // died and another at the same address never share a shard.
  thread_local std::vector<std::pair<uint64_t, RequestShard*>> mine;
  for (auto& [id, shard] : mine)
    if (id == id_) return *shard;
  auto shard = std::make_unique<RequestShard>();
  RequestShard* raw = shard.get();
  {
    std::lock_guard lock(shards_mutex_);
    shards_.push_back(std::move(shard));
  }
  mine.emplace_back(id_, raw);
  return *raw;
}

void Metrics::RecordRequest(std::string_view route, std::string_view method, int status,
                            std::chrono::duration<double> elapsed) {
  RequestShard& shard = LocalShard();
  std::lock_guard lock(shard.mutex);
  auto key = RequestKeyView(route, method, status);
  auto it = shard.requests.find(key);
  if (it == shard.requests.end())
    it = shard.requests.emplace(RequestKey(route, method, status), 0).first;
  ++it->second;
  auto h = shard.latency.find(route);
  if (h == shard.latency.end()) h = shard.latency.emplace(std::string(route), Histogram{}).first;
  Add(h->second, kBuckets, elapsed.count());
}

void Metrics::AddGaugeSource(std::string name, std::function<double()> read) {
  std::lock_guard lock(mutex_);
  gauge_sources_[std::move(name)] = std::move(read);
}

void Metrics::SetGauge(std::string_view name, double value) {
  std::lock_guard lock(mutex_);
  gauges_[std::string(name)] = value;
}

void Metrics::MergeShards(std::map<RequestKey, uint64_t>& requests,
                          std::map<std::string, Histogram>& latency) const {
  std::lock_guard shards_lock(shards_mutex_);
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard->mutex);
    for (const auto& [key, n] : shard->requests) requests[key] += n;
    for (const auto& [route, h] : shard->latency) {
      Histogram& sum = latency[route];
      for (size_t i = 0; i < kBuckets.size(); ++i) sum.counts[i] += h.counts[i];
      sum.count += h.count;
      sum.sum += h.sum;
    }
  }
}

std::string Metrics::Render() const {
  std::map<RequestKey, uint64_t> requests;
  std::map<std::string, Histogram> latency;
  MergeShards(requests, latency);
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP twostep_http_requests_total HTTP requests by route, method and status.\n";
  out += "# TYPE twostep_http_requests_total counter\n";
  for (const auto& [key, n] : requests) {
    const auto& [route, method, status] = key;
    out += fmt::format("twostep_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                       route, method, status, n);
  }
  out += "# HELP twostep_http_request_duration_seconds Request latency by route.\n";
  out += "# TYPE twostep_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency) {
    for (size_t i = 0; i < kBuckets.size(); ++i)
      out += fmt::format("twostep_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                         route, kBuckets[i], h.counts[i]);
    out += fmt::format("twostep_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                       route, h.count);
    out += fmt::format("twostep_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route, h.sum);
    out += fmt::format("twostep_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route, h.count);
  }
  std::string last;
  for (const auto& [key, n] : counters_) {
    const auto& [name, label] = key;
    if (name != last) {
      out += fmt::format("# TYPE twostep_{}_total counter\n", name);
      last = name;
    }
    out += fmt::format("twostep_{}_total{{{}=\"{}\"}} {}\n", name, LabelName(name), label, n);
  }
  std::string last_observed;
  for (const auto& [key, h] : observed_) {
    const auto& [name, label] = key;
    const std::string series = fmt::format("twostep_{}", name);
    if (name != last_observed) out += fmt::format("# TYPE {} histogram\n", series);
    last_observed = name;
    const std::string l = fmt::format("provider=\"{}\"", label);
    for (size_t i = 0; i < kBuckets.size(); ++i)
      out += fmt::format("{}_bucket{{{},le=\"{}\"}} {}\n", series, l, kBuckets[i], h.counts[i]);
    out += fmt::format("{}_bucket{{{},le=\"+Inf\"}} {}\n", series, l, h.count);
    out += fmt::format("{}_sum{{{}}} {}\n{}_count{{{}}} {}\n", series, l, h.sum, series, l, h.count);
  }
  std::map<std::string, double> gauges = gauges_;
  for (const auto& [name, read] : gauge_sources_) gauges[name] = read();
  for (const auto& [name, v] : gauges) {
    out += fmt::format("# TYPE twostep_{} gauge\ntwostep_{} {}\n", name, name, v);
  }
  return out;
}

}  // namespace twostep::http
