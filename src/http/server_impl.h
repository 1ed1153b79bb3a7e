// HttpServer's insides, shared by server.cc (listeners, accept, shutdown,
// TLS setup) and http_session.cc (one connection: read, route, answer).
// Internal to http/: it brings in Asio.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include "base/live_value.h"
#include "http/accept_loop.h"
#include "http/connection_limiter.h"
#include "http/deadline_sweep.h"
#include "http/drainable.h"
#include "http/server.h"

namespace twostep::http {

struct WsContext;
class WaitHub;

namespace net = boost::asio;
using tcp = net::ip::tcp;

// A full queue or connection cap clears as requests finish, in well under a
// second at the loads the pools are sized for: come back soon.
constexpr std::chrono::seconds kBusyRetryAfter{1};

struct HttpServer::Impl {
  Impl(ServerOptions o, const Router& r, WorkPool& w, WorkPool& h, Metrics& m, WsContext* ws,
       const Router* management_router, WaitHub* waits);

  // One io_context per I/O thread, each run by its thread alone (Asio
  // concurrency hint 1, no locking inside the scheduler):
  // a connection stays on the context it was accepted onto, so the I/O
  // threads never contend for one scheduler's lock, and a handler posted
  // from its own thread skips the lock altogether. (One shared context
  // cost a futex wait or wake per request between the two threads.)
  static std::vector<std::unique_ptr<net::io_context>> MakeIoContexts(int n);
  // The context for the next accepted connection (round robin, from either
  // listener's loop).
  net::io_context& NextIoContext() { return *iocs[next_ioc++ % iocs.size()]; }

  // Which listener a connection came through: its router, and whether it is
  // the management one (plain HTTP, no WebSocket).
  struct Side {
    const Router& router;
    bool management;
  };

  template <class Stream>
  class Session;

  // Takes a connection slot or refuses the connection (server.cc).
  void OnAccept(tcp::socket socket, const Side& side);
  // Serves an accepted connection until it closes (http_session.cc).
  void StartSession(tcp::socket socket, const Side& side, ConnectionLimiter::Slot slot);
  // Every live connection, HTTP or WebSocket, under a key that stays
  // unique while it lives (the HTTP session itself; the WebSocket's
  // registration, http_session.cc).
  void Register(const void* key, const std::weak_ptr<Drainable>& s);
  void Unregister(const void* key);
  std::vector<std::shared_ptr<Drainable>> LiveConnections();

  // The graceful drain (server_drain.cc): BeginDrain on SIGTERM (or
  // Stop()), then a check every few milliseconds until nothing is in
  // flight or the deadline passed, then FinishDrain.
  void BeginDrain();
  void CheckDrain();
  void FinishDrain();

  ServerOptions options;
  // server.trusted_proxies, replaced by a reload (SetTrustedProxies); the
  // copy in `options` is only the first value.
  LiveValue<std::vector<std::string>> trusted_proxies;
  WorkPool& work;
  WorkPool& hash;
  Metrics& metrics;
  WsContext* ws;
  WaitHub* waits;  // held long-poll answers (null: long-polls answer at once)
  ConnectionLimiter limiter;
  ConnectionLimiter management_limiter;  // the management listener's own
  std::vector<std::string> origins;  // allowed WebSocket origins, set by Listen()
  std::vector<std::unique_ptr<net::io_context>> iocs;
  // The read and write deadlines of each context's connections (same index).
  std::vector<std::unique_ptr<DeadlineSweep>> sweeps;
  DeadlineSweep& SweepOf(const net::io_context& ioc);
  // Keep each context's run() going while it has no connection; reset by Stop().
  std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running;
  std::atomic<size_t> next_ioc{0};
  Side public_side;
  Side management_side;
  AcceptLoop public_loop;
  std::optional<AcceptLoop> management_loop;  // set when options.management_host is not empty
  std::string management_url;                 // set by Listen()
  net::signal_set signals;
  std::atomic<bool> stopping{false};
  // Requests between their headers and the end of their answer.
  std::atomic<int> in_flight{0};
  net::steady_timer drain_timer;  // on iocs.front()
  std::chrono::steady_clock::time_point drain_started;
  std::mutex sessions_mutex;
  std::map<const void*, std::weak_ptr<Drainable>> sessions;  // GUARDED_BY(sessions_mutex)
  std::unique_ptr<net::ssl::context> tls;  // set when the server speaks HTTPS
};

}  // namespace twostep::http
