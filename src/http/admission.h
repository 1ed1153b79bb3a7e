// Admission to a work pool: a new task is queued only when it would not
// wait too long. What a client feels is the wait, and a count of waiting
// tasks is a wait only for one task size on one machine (64 Argon2id hashes
// are 0.3 s at m=8 MiB but ~1 s at m=19 MiB, t=2, on two cores), so the
// bound is on the expected wait; the count stays as the hard memory bound.
// Pure: the pool supplies what it measured.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

namespace twostep::http {

struct AdmissionLimits {
  size_t max_waiting = 0;  // tasks waiting: the hard bound, whatever they take
  // The longest expected wait of a new task; zero: off (the count alone).
  std::chrono::nanoseconds max_wait{0};
};

// The wait of a task queued behind `waiting` others on `threads` threads
// when a task runs `mean_run`: waiting x mean_run / threads. Nullopt while
// there is no estimate of the run time.
std::optional<std::chrono::nanoseconds> ExpectedWait(size_t waiting, int threads,
                                                     std::optional<std::chrono::nanoseconds> mean_run);

// True when a new task may join the `waiting` ones: fewer than
// `max_waiting` wait, and its expected wait is at most `max_wait` (no
// estimate yet: the count alone decides).
bool Admit(size_t waiting, int threads, std::optional<std::chrono::nanoseconds> mean_run,
           const AdmissionLimits& limits);

// The recent mean of the tasks' run times, exponentially weighted: each new
// run weighs 1/16. That smooths one task's jitter (an fsync stall, a
// preemption) and still follows a change of the machine's speed within a
// few dozen tasks, well under a second at the rates that fill a queue.
// Not thread-safe (the pool holds its lock).
class RunTimeMean {
 public:
  void Add(std::chrono::nanoseconds run);
  // Nullopt until the first run was added.
  std::optional<std::chrono::nanoseconds> Get() const;

 private:
  std::optional<double> mean_ns_;
};

}  // namespace twostep::http
