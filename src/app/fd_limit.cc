#include "app/fd_limit.h"

#include <sys/resource.h>

#include <algorithm>

#include <spdlog/spdlog.h>

namespace twostep::app {

void FitOpenFileLimit(size_t max_connections) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t needed = static_cast<rlim_t>(max_connections + kReservedDescriptors);
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max == RLIM_INFINITY ? needed : std::min(limit.rlim_max, needed);
    if (raised.rlim_cur > limit.rlim_cur && setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed)
    spdlog::warn(R"({{"event":"open_file_limit_low","limit":{},"max_connections":{},"needed":{}}})",
                 static_cast<unsigned long long>(limit.rlim_cur), max_connections,
                 static_cast<unsigned long long>(needed));
}

}  // namespace twostep::app
