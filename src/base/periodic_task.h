// PeriodicTask: runs one function on its own thread every `interval` until
// stopped (housekeeping, the session sweep). A failing run is logged with the
// task's name and the next one comes as planned; Stop() wakes the thread at
// once and joins it. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace twostep {

class PeriodicTask {
 public:
  // `run_at_start`: the first run comes at Start(), else after one interval.
  PeriodicTask(std::string name, std::chrono::milliseconds interval, bool run_at_start,
               std::function<void()> run);
  ~PeriodicTask() { Stop(); }
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  void Start();
  void Stop();

 private:
  void RunLogged();
  const std::string name_;
  const std::chrono::milliseconds interval_;
  const bool run_at_start_;
  const std::function<void()> run_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace twostep
