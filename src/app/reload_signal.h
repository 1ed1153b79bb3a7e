// ReloadSignal: runs a callback on its own thread each time the process gets
// SIGHUP (systemctl reload sends it: ExecReload in the unit). SIGHUP is
// blocked in every thread and taken with sigwait() here, so the callback is
// ordinary code (it may read files, allocate and log), never a signal
// handler. Construct it before any other thread starts: threads inherit
// the blocked signal mask.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace twostep::app {

class ReloadSignal {
 public:
  // Blocks SIGHUP in the calling thread (and the threads it starts later).
  explicit ReloadSignal(std::function<void()> on_sighup);
  ~ReloadSignal();  // Stop()
  // Starts the waiting thread.
  void Start();
  // Ends the waiting thread; idempotent.
  void Stop();

 private:
  std::function<void()> on_sighup_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace twostep::app
