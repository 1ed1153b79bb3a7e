#include "http/server.h"

#include <pthread.h>

#include <algorithm>
#include <thread>

#include <boost/beast/core/error.hpp>
#include <spdlog/spdlog.h>

#include "http/metrics.h"
#include "http/problem.h"
#include "http/refusal.h"
#include "http/wait_hub.h"
#include "http/server_impl.h"
#include "http/ws_hub.h"
#include "http/ws_session.h"

namespace twostep::http {

namespace beast = boost::beast;

HttpServer::Impl::Impl(ServerOptions o, const Router& r, WorkPool& w, WorkPool& h, Metrics& m,
                       WsContext* ws, const Router* management_router, WaitHub* waits)
    : options(std::move(o)), trusted_proxies(options.trusted_proxies), work(w), hash(h),
      metrics(m), ws(ws), waits(waits),
      limiter(options.max_connections_per_ip, options.max_connections),
      management_limiter(options.max_connections_per_ip, options.management_max_connections),
      iocs(MakeIoContexts(options.io_threads)),
      public_side{r, false}, management_side{management_router ? *management_router : r, true},
      public_loop(*iocs.front(), [this]() -> net::io_context& { return NextIoContext(); }, m,
                  "public"),
      signals(*iocs.front(), SIGINT, SIGTERM), drain_timer(*iocs.front()) {
  for (auto& ioc : iocs) {
    keep_running.push_back(net::make_work_guard(*ioc));
    sweeps.push_back(std::make_unique<DeadlineSweep>(*ioc));
  }
  if (!options.management_host.empty()) {
    if (!management_router) throw std::logic_error("a management listener needs its router");
    management_loop.emplace(*iocs.front(), [this]() -> net::io_context& { return NextIoContext(); },
                            m, "management");
  }
}

std::vector<std::unique_ptr<net::io_context>> HttpServer::Impl::MakeIoContexts(int n) {
  std::vector<std::unique_ptr<net::io_context>> out;
  for (int i = 0; i < std::max(1, n); ++i) out.push_back(std::make_unique<net::io_context>(1));
  return out;
}

DeadlineSweep& HttpServer::Impl::SweepOf(const net::io_context& ioc) {
  for (size_t i = 0; i < iocs.size(); ++i)
    if (iocs[i].get() == &ioc) return *sweeps[i];
  throw std::logic_error("a connection on an io_context of another server");
}

void HttpServer::Impl::Register(const void* key, const std::weak_ptr<Drainable>& s) {
  std::lock_guard lock(sessions_mutex);
  sessions[key] = s;
}

void HttpServer::Impl::Unregister(const void* key) {
  std::lock_guard lock(sessions_mutex);
  sessions.erase(key);
}

std::vector<std::shared_ptr<Drainable>> HttpServer::Impl::LiveConnections() {
  // Collected under the lock, used after it: a connection released by the
  // caller may unregister itself, which takes the same mutex.
  std::vector<std::shared_ptr<Drainable>> live;
  std::lock_guard lock(sessions_mutex);
  for (auto& [key, weak] : sessions)
    if (auto s = weak.lock()) live.push_back(std::move(s));
  return live;
}

void HttpServer::Impl::OnAccept(tcp::socket socket, const Side& side) {
  beast::error_code peer_ec;
  auto peer = socket.remote_endpoint(peer_ec);
  std::string ip = peer_ec ? "" : peer.address().to_string();
  // Trusted proxies carry many clients: no per-address cap, but they count
  // in the total.
  const auto proxies = trusted_proxies.Get();
  const bool proxy = std::find(proxies->begin(), proxies->end(), ip) != proxies->end();
  ConnectionLimiter::Refusal why = ConnectionLimiter::Refusal::kNone;
  auto slot = (side.management ? management_limiter : limiter).TryAcquire(ip, {.per_ip = !proxy}, &why);
  if (!slot) {
    const bool per_ip = why == ConnectionLimiter::Refusal::kPerIp;
    metrics.Increment("connections_refused",
                      side.management ? "management_cap" : per_ip ? "per_ip_cap" : "global_cap");
    auto answer = ProblemResponse(
        per_ip ? Error::RateLimited(kBusyRetryAfter,
                                    "Too many connections from this address. Close some first.")
               : Error::Unavailable("The server has too many connections. Try again shortly.",
                                    kBusyRetryAfter));
    return RefuseConnection(std::move(socket), tls && !side.management, answer);
  }
  StartSession(std::move(socket), side, std::move(slot));
}

namespace {
std::unique_ptr<net::ssl::context> MakeTlsContext(const ServerOptions& o) {
  if (o.tls_cert.empty()) return nullptr;
  auto ctx = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
  ctx->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                   net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                   net::ssl::context::no_tlsv1_1 | net::ssl::context::single_dh_use |
                   SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  // TLS 1.2: forward secrecy and AEAD only (TLS 1.3 suites are all of that).
  SSL_CTX_set_cipher_list(ctx->native_handle(),
                          "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                          "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                          "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305");
  beast::error_code ec;
  ctx->use_certificate_chain_file(o.tls_cert, ec);
  if (ec) throw std::runtime_error("server.tls_cert: cannot use " + o.tls_cert + ": " + ec.message());
  ctx->use_private_key_file(o.tls_key, net::ssl::context::pem, ec);
  if (ec) throw std::runtime_error("server.tls_key: cannot use " + o.tls_key + ": " + ec.message());
  return ctx;
}
}  // namespace

HttpServer::HttpServer(ServerOptions options, const Router& router, WorkPool& work,
                       WorkPool& hash, Metrics& metrics, WsContext* ws, const Router* management,
                       WaitHub* waits)
    : impl_(std::make_unique<Impl>(std::move(options), router, work, hash, metrics, ws, management,
                                   waits)) {
  impl_->tls = MakeTlsContext(impl_->options);
}

HttpServer::~HttpServer() = default;

std::string HttpServer::Listen() {
  std::string address = impl_->public_loop.Listen(impl_->options.host, impl_->options.port);
  if (impl_->management_loop)
    impl_->management_url = "http://" + impl_->management_loop->Listen(
                                            impl_->options.management_host,
                                            impl_->options.management_port);
  const std::string scheme = impl_->tls ? "https://" : "http://";
  std::string url = scheme + address;
  impl_->origins = impl_->options.allowed_origins;
  std::string own = impl_->options.public_url.empty() ? url : impl_->options.public_url;
  while (!own.empty() && own.back() == '/') own.pop_back();
  impl_->origins.push_back(own);
  if (address.rfind("127.0.0.1:", 0) == 0)
    impl_->origins.push_back(scheme + "localhost" + address.substr(address.find(':')));
  return url;
}

std::string HttpServer::ManagementUrl() const { return impl_->management_url; }

void HttpServer::SetTrustedProxies(std::vector<std::string> proxies) {
  impl_->trusted_proxies.Set(std::move(proxies));
}

void HttpServer::Run() {
  impl_->signals.async_wait([this](beast::error_code ec, int) {
    if (!ec) Stop();
  });
  impl_->public_loop.Start([this](tcp::socket s) { impl_->OnAccept(std::move(s), impl_->public_side); });
  if (impl_->management_loop)
    impl_->management_loop->Start(
        [this](tcp::socket s) { impl_->OnAccept(std::move(s), impl_->management_side); });
  std::vector<std::thread> threads;
  for (size_t i = 1; i < impl_->iocs.size(); ++i)
    threads.emplace_back([this, i] {
      pthread_setname_np(pthread_self(), "io");
      impl_->iocs[i]->run();
    });
  impl_->iocs.front()->run();
  for (auto& t : threads) t.join();
}

void HttpServer::Stop() {
  // On the first context, where the drain's timer and the signal set live.
  net::post(*impl_->iocs.front(), [this] { impl_->BeginDrain(); });
}

}  // namespace twostep::http
