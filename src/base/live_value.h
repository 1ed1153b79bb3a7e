// LiveValue<T>: a value that a reload (SIGHUP) replaces while other threads
// read it. Readers get an immutable snapshot (shared_ptr<const T>) that
// stays valid and unchanged for as long as they hold it, however many
// reloads happen meanwhile; the writer publishes a new snapshot whole, so
// no reader ever sees half of an old and half of a new value.
//
// Why a mutex around a shared_ptr and not std::atomic<std::shared_ptr>:
// the critical section is one reference-count increment, a reload is rare,
// and ThreadSanitizer understands a mutex (libstdc++'s atomic<shared_ptr>
// hides its lock in a pointer bit that TSan cannot see). Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <utility>

namespace twostep {

template <typename T>
class LiveValue {
 public:
  explicit LiveValue(T initial) : current_(std::make_shared<const T>(std::move(initial))) {}

  // The current snapshot; never null.
  std::shared_ptr<const T> Get() const {
    std::lock_guard lock(mutex_);
    return current_;
  }

  // Publishes `next`; readers that hold the old snapshot keep it.
  void Set(T next) {
    auto snapshot = std::make_shared<const T>(std::move(next));
    std::lock_guard lock(mutex_);
    current_.swap(snapshot);
    // The old snapshot is released after the lock, by `snapshot`'s destructor:
    // a large value is never destroyed while readers wait.
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const T> current_;  // GUARDED_BY(mutex_)
};

}  // namespace twostep
