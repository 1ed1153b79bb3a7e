#include "stats.h"

#include <algorithm>
#include <fstream>

namespace bench {

double Samples::PercentileMs(double q) {
  if (us.empty()) return 0;
  std::sort(us.begin(), us.end());
  size_t i = std::min(us.size() - 1, static_cast<size_t>(q * static_cast<double>(us.size())));
  return us[i] / 1000.0;
}

boost::json::object Samples::Summary() {
  return {{"p50_ms", PercentileMs(0.50)}, {"p90_ms", PercentileMs(0.90)},
          {"p99_ms", PercentileMs(0.99)}, {"max_ms", PercentileMs(1.0)},
          {"count", us.size()}};
}

long ResidentKib(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  while (in >> key) {
    if (key == "VmRSS:") {
      long kib = 0;
      in >> kib;
      return kib;
    }
    in.ignore(4096, '\n');
  }
  return 0;
}

}  // namespace bench
