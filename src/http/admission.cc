#include "http/admission.h"

#include <algorithm>
#include <cmath>

namespace twostep::http {

using std::chrono::nanoseconds;

std::optional<nanoseconds> ExpectedWait(size_t waiting, int threads,
                                        std::optional<nanoseconds> mean_run) {
  if (!mean_run) return std::nullopt;
  // Integer nanoseconds keep the rule exact; waiting x mean fits int64 for
  // any queue a config allows and runs of years.
  return *mean_run * static_cast<int64_t>(waiting) / std::max(threads, 1);
}

bool Admit(size_t waiting, int threads, std::optional<nanoseconds> mean_run,
           const AdmissionLimits& limits) {
  if (waiting >= limits.max_waiting) return false;
  if (limits.max_wait <= nanoseconds::zero()) return true;
  auto wait = ExpectedWait(waiting, threads, mean_run);
  return !wait || *wait <= limits.max_wait;
}

void RunTimeMean::Add(nanoseconds run) {
  constexpr double kWeight = 1.0 / 16;
  const auto ns = static_cast<double>(run.count());
  mean_ns_ = mean_ns_ ? *mean_ns_ + (ns - *mean_ns_) * kWeight : ns;
}

std::optional<nanoseconds> RunTimeMean::Get() const {
  if (!mean_ns_) return std::nullopt;
  return nanoseconds(std::llround(*mean_ns_));
}

}  // namespace twostep::http
