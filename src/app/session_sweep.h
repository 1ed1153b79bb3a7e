// SessionSweep: a WebSocket lives as long as its session (SPEC §2). Ended
// sessions are told at once where the change happens (sign-out, reused
// refresh token, removal, password reset); this sweep catches what no request
// announces: a refresh family that simply expired, or a revocation made by
// another instance while this one missed the message. Every `interval` it
// asks the store which sessions of the live connections have ended and
// closes those with signed_out (session_ended).
#pragma once

#include <chrono>

#include "base/periodic_task.h"
#include "http/ws_hub.h"
#include "service/sessions.h"

namespace twostep::app {

class SessionSweep {
 public:
  SessionSweep(http::WsHub& hub, service::Sessions& sessions, std::chrono::seconds interval)
      : hub_(hub), sessions_(sessions),
        task_("session_sweep", interval, /*run_at_start=*/false, [this] { RunOnce(); }) {}

  // One pass: closes the connections of ended sessions; returns how many.
  size_t RunOnce();
  void Start() { task_.Start(); }
  void Stop() { task_.Stop(); }

 private:
  http::WsHub& hub_;
  service::Sessions& sessions_;
  PeriodicTask task_;  // last: stopped (and joined) before the members it uses go
};

}  // namespace twostep::app
