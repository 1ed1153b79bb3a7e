// Running a route's handler the way the server does, so the rules are one
// function, tested without sockets: a store conflict (the transaction was
// rolled back and changed nothing) runs the handler again, up to
// kConflictAttempts runs; a store failure, or conflicts to the last run,
// answer 503 unavailable with Retry-After kStoreRetryAfter; any other
// exception answers 500 without its text (it is logged). Thread-safe when
// the handler is.
#pragma once

#include <chrono>

#include "http/message.h"
#include "http/router.h"

namespace twostep::http {

// Three runs: a conflict is a race between two requests on the same rows;
// the second run almost always finds the other one committed. More would
// only hold a pool thread while the database is in trouble.
inline constexpr int kConflictAttempts = 3;
// A failed store usually needs seconds (a failover, a restart), longer than
// the 1 s of a full queue: clients should not come back at once.
inline constexpr std::chrono::seconds kStoreRetryAfter{5};

HttpResponse CallHandler(const RouteMatch& match, const HttpRequest& req);

}  // namespace twostep::http
