#include "app/reload_signal.h"

#include <pthread.h>
#include <signal.h>

namespace twostep::app {

namespace {
sigset_t HangupSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGHUP);
  return set;
}
}  // namespace

ReloadSignal::ReloadSignal(std::function<void()> on_sighup) : on_sighup_(std::move(on_sighup)) {
  sigset_t set = HangupSet();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

ReloadSignal::~ReloadSignal() { Stop(); }

void ReloadSignal::Start() {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "reload");
    sigset_t set = HangupSet();
    while (true) {
      int sig = 0;
      if (sigwait(&set, &sig) != 0) continue;
      if (stopping_.load()) return;
      on_sighup_();
    }
  });
}

void ReloadSignal::Stop() {
  if (stopping_.exchange(true) || !thread_.joinable()) return;
  // Wakes the sigwait() of that one thread (not a process-wide signal).
  pthread_kill(thread_.native_handle(), SIGHUP);
  thread_.join();
}

}  // namespace twostep::app
