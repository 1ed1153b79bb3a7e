// Running a use case again when the database rolled its transaction back
// for a conflict (StoreConflict: deadlock, serialisation failure). Such a
// transaction changed nothing and sent nothing (mail and live messages
// follow the commit), so a new run is safe. After `attempts` runs the
// conflict is thrown on, to be answered 503.
#pragma once

#include <functional>

#include "ports/store.h"

namespace twostep::http {

template <class Fn>
auto RunWithConflictRetries(Fn&& fn, int attempts,
                            const std::function<void(const StoreConflict&)>& on_retry = {}) {
  for (int attempt = 1;; ++attempt) {
    try {
      return fn();
    } catch (const StoreConflict& e) {
      if (attempt >= attempts) throw;
      if (on_retry) on_retry(e);
    }
  }
}

}  // namespace twostep::http
