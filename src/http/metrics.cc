#include "http/metrics.h"

#include <fmt/format.h>

namespace twostep::http {

namespace {
// Which label each business counter carries.
std::string_view LabelName(std::string_view counter) {
  if (counter == "logins") return "outcome";
  if (counter == "codes_sent") return "channel";
  if (counter == "mail") return "result";
  if (counter == "password_hashes") return "op";
  return "kind";
}
}  // namespace

void Metrics::Increment(std::string_view name, std::string_view label) {
  std::lock_guard lock(mutex_);
  ++counters_[{std::string(name), std::string(label)}];
}

void Metrics::RecordRequest(std::string_view route, std::string_view method, int status,
                            std::chrono::duration<double> elapsed) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(route), std::string(method), status}];
  auto& h = latency_[std::string(route)];
  double s = elapsed.count();
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (s <= kBuckets[i]) ++h.counts[i];
  ++h.count;
  h.sum += s;
}

void Metrics::SetGauge(std::string_view name, double value) {
  std::lock_guard lock(mutex_);
  gauges_[std::string(name)] = value;
}

std::string Metrics::Render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP twostep_http_requests_total HTTP requests by route, method and status.\n";
  out += "# TYPE twostep_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status] = key;
    out += fmt::format("twostep_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                       route, method, status, n);
  }
  out += "# HELP twostep_http_request_duration_seconds Request latency by route.\n";
  out += "# TYPE twostep_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
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
  for (const auto& [name, v] : gauges_) {
    out += fmt::format("# TYPE twostep_{} gauge\ntwostep_{} {}\n", name, name, v);
  }
  return out;
}

}  // namespace twostep::http
