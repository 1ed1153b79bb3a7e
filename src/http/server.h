// HttpServer: the Beast/Asio HTTP/1.1 server. Reads each request with a
// header timeout, a body timeout and a body limit (413), routes it, runs the
// handler on the lane the route names (inline, work pool, hashing pool;
// 503 + Retry-After when a pool's queue is full), writes the answer and
// keeps the connection alive until the idle timeout. Stop() (and SIGTERM)
// drains: the public listener stops accepting, /healthz answers 503 (the
// management listener keeps answering it until the end), idle connections
// close, WebSockets get the close 1012, requests in flight finish within
// drain_timeout; then Run() returns.
// A second, management listener (plain HTTP, for operators) serves its own
// router: /metrics and /healthz. Beast and Asio stay behind the pimpl
// (http/server_impl.h, server.cc, http_session.cc).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "http/router.h"

namespace twostep::http {

class Metrics;
class WaitHub;
class WorkPool;

// The fields without a default here are set from app::Config, whose
// initialisers state their defaults (app/config.h); the others are fixed
// limits, each with its reason.
struct ServerOptions {
  std::string host;
  uint16_t port{};
  // The management listener; empty host: none.
  std::string management_host;
  uint16_t management_port{};
  int io_threads{};
  size_t max_body_bytes{};
  // Larger request headers get 400: the API needs a bearer token and a few
  // short fields, and the cap bounds what a client can make us buffer.
  size_t max_header_bytes = 16 * 1024;
  std::chrono::seconds header_timeout{};
  std::chrono::seconds body_timeout{};
  std::chrono::seconds idle_timeout{};
  // Writing one answer: a client that stops reading is dropped then, not
  // kept with its buffers. The largest answer is one web app file; 30 s
  // carries it over any link that works at all.
  std::chrono::seconds write_timeout{30};
  // SIGTERM: the longest wait for requests in flight (server.drain_timeout_s).
  std::chrono::seconds drain_timeout{10};
  // After an answer that ends the connection while the client may still be
  // sending (413, 400), its rest is read and discarded for this long, at
  // most this many bytes, so that the kernel does not reset the connection
  // before the client has read the answer. Bounded: it is work for nothing.
  std::chrono::seconds linger_timeout{2};
  size_t linger_max_bytes = 16 * 1024 * 1024;
  // Live connections (HTTP and WebSocket) per peer address (IPv6: per /64);
  // more are answered 429 and closed at accept. Trusted proxies are not
  // limited per address.
  size_t max_connections_per_ip{};
  // Live connections of the public listener in all; more are answered 503
  // and closed at accept.
  size_t max_connections{};
  // Live connections of the management listener, its own cap: a flood of
  // the public listener must not lock operators out of /metrics. A few
  // scrapers and operators need few.
  size_t management_max_connections = 64;
  std::vector<std::string> trusted_proxies;
  // Origins allowed to open the WebSocket besides the server's own (the
  // public URL, or the listening address when that is empty).
  std::vector<std::string> allowed_origins;
  std::string public_url;
  // PEM files; when both are set the server speaks HTTPS (and wss://) only:
  // TLS 1.2 and 1.3 with forward-secret AEAD ciphers, and HSTS.
  std::string tls_cert;
  std::string tls_key;
};

struct WsContext;

class HttpServer {
 public:
  // `ws` (may be null: no WebSocket) serves GET /v1/notifications upgrades.
  // `management` (may be null when options.management_host is empty) is the
  // router of the management listener. `waits` (may be null: long-polls are
  // answered at once) holds long-poll answers (http/wait_hub.h); Stop()
  // wakes them so that they answer before the drain ends.
  HttpServer(ServerOptions options, const Router& router, WorkPool& work, WorkPool& hash,
             Metrics& metrics, WsContext* ws, const Router* management = nullptr,
             WaitHub* waits = nullptr);
  ~HttpServer();

  // Binds and listens; returns "http://HOST:PORT" with the real port.
  // Also binds the management listener, when there is one. Throws
  // std::runtime_error when an address cannot be bound.
  std::string Listen();
  // "http://HOST:PORT" of the management listener after Listen(); empty when off.
  std::string ManagementUrl() const;
  // Runs the I/O threads until Stop() and the drain are done. Also stops on
  // SIGINT/SIGTERM.
  void Run();
  // A reload's new server.trusted_proxies, for the connections and requests
  // that start from now on; thread-safe.
  void SetTrustedProxies(std::vector<std::string> proxies);
  // Starts the drain; thread-safe, idempotent. Run() returns when it is done.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace twostep::http
