// What `twostep listen` does between two connections (issue #22): waits a
// jittered, growing delay (domain/reconnect_backoff.h: first try within
// 0.5 s, e.g. after the close 1012 of a draining server), and after the
// next "ready" picks up the code requests that arrived while it was away
// (GET /v1/notifications/pending), each shown once per run.
#pragma once

#include <chrono>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

#include "cli/client_app.h"

namespace twostep::cli {

class Reconnect {
 public:
  // The connection that just ended had reached "ready": start over at the
  // short first delay.
  void ConnectionWasReady() { attempt_ = 0; }
  // Sleeps before the next try; returns how long.
  std::chrono::milliseconds Wait();

 private:
  int attempt_ = 0;
};

// Requests shown in this run, by challenge and code (a resend is a new
// code for the same challenge, and is shown again).
class ShownRequests {
 public:
  // False when this verification_code message was shown already.
  bool FirstTime(const boost::json::value& message);

 private:
  std::set<std::pair<std::string, std::string>> shown_;
};

// The open requests of /v1/notifications/pending (the verification_code
// messages, as on the WebSocket; ShownRequests tells which are new). A
// device that is not trusted, or any failure, gives none: the live
// connection still works.
std::vector<boost::json::value> PendingRequests(ClientApp& app);

}  // namespace twostep::cli
