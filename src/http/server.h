// HttpServer: the Beast/Asio HTTP/1.1 server. Reads each request with a
// header timeout, a body timeout and a body limit (413), routes it, runs the
// handler on the lane the route names (inline, work pool, hashing pool;
// 503 + Retry-After when a pool's queue is full), writes the answer and
// keeps the connection alive until the idle timeout. Stop() is graceful: no
// new connections, in-flight requests finish, idle connections close.
// Beast stays inside server.cc (pimpl).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "http/router.h"

namespace twostep::http {

class Metrics;
class WorkPool;

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  int io_threads = 1;
  size_t max_body_bytes = 64 * 1024;
  size_t max_header_bytes = 16 * 1024;
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds body_timeout{10};
  std::chrono::seconds idle_timeout{60};
  // Live connections (HTTP and WebSocket) per peer address; more are
  // answered 429 and closed at accept. Trusted proxies are not limited.
  size_t max_connections_per_ip = 256;
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
  HttpServer(ServerOptions options, const Router& router, WorkPool& work, WorkPool& hash,
             Metrics& metrics, WsContext* ws);
  ~HttpServer();

  // Binds and listens; returns "http://HOST:PORT" with the real port.
  // Throws std::runtime_error when the address cannot be bound.
  std::string Listen();
  // Runs the I/O threads until Stop() and the drain are done. Also stops on
  // SIGINT/SIGTERM.
  void Run();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace twostep::http
