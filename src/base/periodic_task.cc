#include "base/periodic_task.h"

#include <spdlog/spdlog.h>

namespace twostep {

PeriodicTask::PeriodicTask(std::string name, std::chrono::milliseconds interval, bool run_at_start,
                           std::function<void()> run)
    : name_(std::move(name)), interval_(interval), run_at_start_(run_at_start), run_(std::move(run)) {}

void PeriodicTask::RunLogged() {
  try {
    run_();
  } catch (const std::exception& e) {
    spdlog::warn(R"({{"event":"{}_failed","error":"{}"}})", name_, e.what());
  }
}

void PeriodicTask::Start() {
  thread_ = std::thread([this] {
    if (run_at_start_) RunLogged();
    std::unique_lock lock(mutex_);
    while (!cv_.wait_for(lock, interval_, [&] { return stopping_; })) {
      lock.unlock();
      RunLogged();
      lock.lock();
    }
  });
}

void PeriodicTask::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace twostep
