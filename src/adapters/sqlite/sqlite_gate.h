// Gate: lets one transaction of the process run at a time (see
// sqlite_store.h). A mutex and a condition variable rather than
// std::timed_mutex: libstdc++ waits on a timed mutex with
// pthread_mutex_clocklock, which ThreadSanitizer (GCC 12) does not see, so
// every unlock would be reported as the unlock of an unlocked mutex.
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <utility>

namespace twostep::sqlite {

class Gate {
 public:
  // Held while alive (movable); leaves the gate when destroyed or Leave()d.
  class Pass {
   public:
    Pass() = default;
    explicit Pass(Gate* gate) : gate_(gate) {}
    Pass(Pass&& other) noexcept : gate_(std::exchange(other.gate_, nullptr)) {}
    Pass& operator=(Pass&& other) noexcept {
      if (this != &other) {
        Leave();
        gate_ = std::exchange(other.gate_, nullptr);
      }
      return *this;
    }
    ~Pass() { Leave(); }
    void Leave() {
      if (auto* g = std::exchange(gate_, nullptr)) g->Release();
    }

   private:
    Gate* gate_ = nullptr;
  };

  // Waits up to `patience` for the gate; an empty Pass when it stayed busy.
  bool TryEnter(std::chrono::milliseconds patience, Pass& pass) {
    std::unique_lock lock(mutex_);
    if (!free_.wait_for(lock, patience, [this] { return !busy_; })) return false;
    busy_ = true;
    pass = Pass(this);
    return true;
  }

 private:
  void Release() {
    {
      std::lock_guard lock(mutex_);
      busy_ = false;
    }
    free_.notify_one();
  }

  std::mutex mutex_;
  std::condition_variable free_;
  bool busy_ = false;  // GUARDED_BY(mutex_)
};

}  // namespace twostep::sqlite
