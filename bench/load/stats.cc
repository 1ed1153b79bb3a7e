#include "stats.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <sys/resource.h>
#include <unistd.h>

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

double CpuSeconds(int pid) {
  if (pid <= 0) return 0;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return 0;
  // Fields after the command (which may hold spaces, so after its last ')'):
  // state is field 3; utime and stime are fields 14 and 15, in clock ticks.
  std::istringstream rest(line.substr(line.rfind(')') + 2));
  std::string field;
  for (int i = 3; i < 14; ++i) rest >> field;
  double utime = 0, stime = 0;
  rest >> utime >> stime;
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double OwnCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto seconds = [](timeval t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

}  // namespace bench
