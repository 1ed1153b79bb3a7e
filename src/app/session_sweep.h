// SessionSweep: a WebSocket lives as long as its session (SPEC §2). Ended
// sessions are told at once where the change happens (sign-out, reused
// refresh token, removal, password reset); this sweep catches what no request
// announces: a refresh family that simply expired, or a revocation made by
// another instance while this one missed the message. Every `interval` it
// asks the store which sessions of the live connections have ended and
// closes those with signed_out (session_ended).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "http/ws_hub.h"
#include "service/sessions.h"

namespace twostep::app {

class SessionSweep {
 public:
  SessionSweep(http::WsHub& hub, service::Sessions& sessions, std::chrono::seconds interval)
      : hub_(hub), sessions_(sessions), interval_(interval) {}
  ~SessionSweep() { Stop(); }

  // One pass: closes the connections of ended sessions; returns how many.
  size_t RunOnce();
  void Start();
  void Stop();

 private:
  http::WsHub& hub_;
  service::Sessions& sessions_;
  const std::chrono::seconds interval_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace twostep::app
