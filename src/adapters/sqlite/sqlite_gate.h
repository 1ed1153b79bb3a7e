// Gate: lets one transaction of the process run at a time (see
// sqlite_store.h). A plain mutex: the fastest hand-off between the work
// threads, and one ThreadSanitizer follows (std::timed_mutex waits with
// pthread_mutex_clocklock, which TSan in GCC 12 does not see). It waits
// without a time limit: the waiters are the bounded work and hashing pools'
// threads, and each transaction is short (SQLite's own busy timeout bounds
// a wait for another process).
// Thread-safe.
#pragma once

#include <mutex>
#include <utility>

namespace twostep::sqlite {

class Gate {
 public:
  // Held while alive (movable); leaves the gate when destroyed or Leave()d.
  class Pass {
   public:
    Pass() = default;
    explicit Pass(std::mutex& m) : lock_(m) {}
    void Leave() {
      if (lock_.owns_lock()) lock_.unlock();
    }

   private:
    std::unique_lock<std::mutex> lock_;
  };

  Pass Enter() { return Pass(mutex_); }

 private:
  std::mutex mutex_;
};

}  // namespace twostep::sqlite
