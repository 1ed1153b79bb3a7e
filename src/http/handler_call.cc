#include "http/handler_call.h"

#include <spdlog/spdlog.h>

#include "http/conflict_retry.h"
#include "http/problem.h"
#include "ports/store.h"

namespace twostep::http {

HttpResponse CallHandler(const RouteMatch& match, const HttpRequest& req) {
  try {
    return RunWithConflictRetries([&] { return match.route->handler(req, match.params); },
                                  kConflictAttempts,
                                  [&](const StoreConflict& e) {
                                    spdlog::warn("store conflict on {}, running it again: {}",
                                                 match.route->pattern, e.what());
                                  });
  } catch (const StoreError& e) {
    spdlog::error("store failure on {}: {}", match.route->pattern, e.what());
    return ProblemResponse(
        Error::Unavailable("Storage is unavailable. Try again shortly.", kStoreRetryAfter));
  } catch (const std::exception& e) {
    spdlog::error("handler failure on {}: {}", match.route->pattern, e.what());
    return ProblemResponse(Error::Internal());
  }
}

}  // namespace twostep::http
