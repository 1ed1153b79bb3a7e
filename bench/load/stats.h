// Latency samples and the few numbers the report needs, plus the resident
// memory of a process read from /proc (the server's, sampled during a run).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

namespace bench {

// Latencies in microseconds.
struct Samples {
  std::vector<uint32_t> us;
  void Add(double micros) { us.push_back(static_cast<uint32_t>(micros < 0 ? 0 : micros)); }
  void Merge(const Samples& o) { us.insert(us.end(), o.us.begin(), o.us.end()); }
  // Sorts in place; q in [0, 1]; 0 when empty. Result in milliseconds.
  double PercentileMs(double q);
  // {"p50_ms","p90_ms","p99_ms","max_ms","count"}
  boost::json::object Summary();
};

// VmRSS of `pid` in KiB, 0 when it cannot be read.
long ResidentKib(int pid);
// CPU time (user + system) a process has used so far, in seconds; 0 when
// it cannot be read (pid 0: no server given).
double CpuSeconds(int pid);
double OwnCpuSeconds();

}  // namespace bench
