// One HTTP connection of HttpServer: reads each request with its deadlines
// and limits, routes it, runs the handler on the route's lane, writes the
// answer, and hands a WebSocket upgrade to ws_session.cc. The connection's
// own io_context (one thread) runs all of its steps.
#include <unistd.h>

#include <array>
#include <thread>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "http/client_ip.h"
#include "http/deadline_sweep.h"
#include "http/handler_call.h"
#include "http/held_answer.h"
#include "http/metrics.h"
#include "http/problem.h"
#include "http/request_log.h"
#include "http/response_head.h"
#include "http/server_impl.h"
#include "http/work_pool.h"
#include "http/ws_session.h"

namespace twostep::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

std::string NewRequestId() {
  static std::atomic<uint64_t> counter{0};
  static const uint64_t prefix =
      std::hash<std::thread::id>{}(std::this_thread::get_id()) ^
      static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  // 16 hex digits: the prefix's low 32 bits, then the counter's (as
  // "{:08x}{:08x}" wrote them, without a format string per request).
  const uint64_t id = (prefix << 32) | static_cast<uint32_t>(++counter);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15, shift = 0; i >= 0; --i, shift += 4) out[i] = kHex[(id >> shift) & 0xf];
  return out;
}

std::map<std::string, std::string> ParseQuery(std::string_view q) {
  std::map<std::string, std::string> out;
  while (!q.empty()) {
    size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    size_t eq = pair.find('=');
    out[std::string(pair.substr(0, eq))] =
        eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return out;
}

// The plain request the router and handlers see; `peer` is the socket's
// address, the client's address follows the trusted-proxy rule.
HttpRequest ToHttpRequest(bhttp::request<bhttp::string_body> raw, const std::string& peer,
                          const std::vector<std::string>& trusted_proxies) {
  HttpRequest req;
  req.method = std::string(raw.method_string());
  std::string_view target = raw.target();
  size_t q = target.find('?');
  req.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) req.query = ParseQuery(target.substr(q + 1));
  req.body = std::move(raw.body());
  // One walk over the fields, in the order they came (a lookup per header
  // searched Beast's field set by name, five times a request). A header
  // sent twice counts once, its first line, as raw[name] read it; every
  // X-Forwarded-For line counts (http/client_ip.h).
  bool seen_type = false, seen_auth = false, seen_origin = false, seen_language = false;
  std::vector<std::string_view> forwarded_for;
  auto first = [](bool& seen, std::string& to, beast::string_view value) {
    if (!seen) to.assign(value.data(), value.size());
    seen = true;
  };
  for (const auto& f : raw) {
    switch (f.name()) {
      case bhttp::field::content_type: first(seen_type, req.content_type, f.value()); break;
      case bhttp::field::authorization: first(seen_auth, req.authorization, f.value()); break;
      case bhttp::field::origin: first(seen_origin, req.origin, f.value()); break;
      case bhttp::field::accept_language: first(seen_language, req.accept_language, f.value()); break;
      case bhttp::field::unknown:  // Beast has no name of its own for X-Forwarded-For
        if (beast::iequals(f.name_string(), "X-Forwarded-For"))
          forwarded_for.emplace_back(f.value().data(), f.value().size());
        break;
      default: break;
    }
  }
  req.client_ip = ClientIp(peer, forwarded_for, trusted_proxies);
  req.request_id = NewRequestId();
  return req;
}

HttpResponse Simple(ErrorCode code, std::string detail) {
  return ProblemResponse(Error{code, std::move(detail)});
}

}  // namespace

// A plain connection is the bare socket on its io_context's own executor:
// no type-erased executor copied into every operation, no timers of its own
// (the deadlines are the io_context's DeadlineSweep). TLS keeps Beast's
// tcp_stream under the ssl_stream (the WebSocket hand-off takes that type),
// with no expiry set on it: its deadlines are the sweep's too.
using PlainStream = net::basic_stream_socket<tcp, net::io_context::executor_type>;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

namespace {
// The accepted socket (bound to `ioc` behind a type-erased executor) moved
// onto the io_context's own executor. A failure leaves a closed socket: the
// session then ends at its first read.
PlainStream OnOwnExecutor(tcp::socket socket, net::io_context& ioc) {
  PlainStream out(ioc.get_executor());
  beast::error_code ec;
  const auto protocol = socket.local_endpoint(ec).protocol();
  if (ec) return out;
  const int fd = socket.release(ec);
  if (ec) return out;
  out.assign(protocol, fd, ec);
  if (ec) ::close(fd);
  return out;
}
}  // namespace

template <class Stream>
class HttpServer::Impl::Session : public Drainable,
                                  public DeadlineSweep::Deadline,
                                  public std::enable_shared_from_this<Session<Stream>> {
  using std::enable_shared_from_this<Session<Stream>>::shared_from_this;

 public:
  // `socket` is what the Stream is made of: a PlainStream, or the
  // accepted socket and the TLS context.
  template <class... Args>
  Session(Impl& server, const Side& side, ConnectionLimiter::Slot slot, DeadlineSweep& sweep,
          Args&&... socket)
      : server_(server), side_(side), sweep_(sweep), stream_(std::forward<Args>(socket)...),
        slot_(std::move(slot)) {
    beast::error_code ec;
    auto ep = Socket().remote_endpoint(ec);
    peer_ = ec ? "" : ep.address().to_string();
  }
  ~Session() override {
    SetBusy(false);
    server_.Unregister(this);
  }

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      self->sweep_.Watch(self);
      if constexpr (std::is_same_v<Stream, TlsStream>) {
        // The TLS handshake shares the header deadline: a slow client cannot hold it open.
        self->ArmFor(self->server_.options.header_timeout);
        self->stream_.async_handshake(net::ssl::stream_base::server,
                                      [self](beast::error_code ec) {
                                        self->Completed(ec);
                                        if (ec) return self->Close();
                                        self->ReadHeader();
                                      });
      } else {
        self->ReadHeader();
      }
    });
  }

  // The drain: closes the connection unless a request is running (that one
  // is answered with Connection: close).
  void BeginDrain() override {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      if (!self->busy_) self->Socket().cancel(ec);
    });
  }

  void Abort() override {
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->Close(); });
  }

 private:
  void ReadHeader() {
    // Draining: a kept-alive connection ends here; a new one is served once
    // (answered with Connection: close): on the management listener (still
    // open for /healthz), and on the public one the connections the
    // listener took from its backlog as it closed (AcceptLoop::Close),
    // whose clients may already have sent their request.
    if (server_.stopping && !first_) return Close();
    parser_.emplace();
    parser_->body_limit(server_.options.max_body_bytes);
    parser_->header_limit(static_cast<uint32_t>(server_.options.max_header_bytes));
    ArmFor(first_ ? server_.options.header_timeout : server_.options.idle_timeout);
    SetBusy(false);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, size_t) {
                               self->OnHeader(ec);
                             });
  }

  void OnHeader(beast::error_code ec) {
    Completed(ec);
    first_ = false;
    SetBusy(true);
    started_ = std::chrono::steady_clock::now();
    if (ec == bhttp::error::header_limit) {
      return Reply(Simple(ErrorCode::kInvalidRequest, "The request headers are too large."), false);
    }
    // A declared Content-Length over the limit fails here, before the body.
    if (ec == bhttp::error::body_limit)
      return Reply(Simple(ErrorCode::kPayloadTooLarge, "The request body is too large."), false);
    if (ec == beast::error::timeout || ec == bhttp::error::end_of_stream ||
        ec == net::error::eof || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset)
      return Close();
    if (ec) return Reply(Simple(ErrorCode::kInvalidRequest, "Malformed HTTP request."), false);
    // No body (most requests): Beast's async_read would only post its
    // completion through the scheduler.
    if (parser_->is_done()) return Handle(parser_->release());
    ArmFor(server_.options.body_timeout, started_);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        self->OnBody(ec);
                      });
  }

  void OnBody(beast::error_code ec) {
    Completed(ec);
    if (ec == bhttp::error::body_limit)
      return Reply(Simple(ErrorCode::kPayloadTooLarge, "The request body is too large."), false);
    if (ec == beast::error::timeout) return Close();
    if (ec) return Reply(Simple(ErrorCode::kInvalidRequest, "Malformed HTTP request."), false);
    Handle(parser_->release());
  }

  bool OriginAllowed(std::string_view origin) const {
    if (origin.empty()) return true;  // native apps send no Origin
    for (const auto& o : server_.origins)
      if (o == origin) return true;
    return false;
  }

  void Handle(bhttp::request<bhttp::string_body> raw) {
    keep_alive_ = raw.keep_alive();
    if (server_.ws && !side_.management && boost::beast::websocket::is_upgrade(raw) &&
        raw.target() == "/v1/notifications") {
      route_ = "/v1/notifications";
      if (!OriginAllowed(raw[bhttp::field::origin])) {
        HttpRequest req;
        req.method = "GET";
        return Reply(ProblemResponse(Error{ErrorCode::kForbidden,
                                           "This origin may not open the notification channel."}),
                     false, req);
      }
      server_.metrics.RecordRequest(route_, "GET", 101, std::chrono::steady_clock::now() - started_);
      return UpgradeToWebSocket(std::move(raw));
    }
    head_ = raw.method() == bhttp::verb::head;
    HttpRequest req = ToHttpRequest(std::move(raw), peer_, *server_.trusted_proxies.Get());
    // Draining: the load balancer learns it at once and stops sending here.
    if (server_.stopping && req.path == "/healthz") {
      route_ = "/healthz";
      return Reply(ProblemResponse(Error::Unavailable("The server is shutting down.",
                                                      kBusyRetryAfter)),
                   false, req);
    }

    auto match = side_.router.Match(req.method, req.path);
    if (!match) {
      route_ = "unmatched";
      return Reply(ProblemResponse(match.error()), keep_alive_, req);
    }
    route_ = match->route->pattern;
    Lane lane = match->route->lane;
    if (lane == Lane::kInline) {
      auto resp = CallHandler(*match, req);
      return Reply(std::move(resp), keep_alive_, req);
    }
    WorkPool& pool = lane == Lane::kHash ? server_.hash : server_.work;
    RunOnPool(pool, *match, std::make_shared<HttpRequest>(std::move(req)));
  }

  void RunOnPool(WorkPool& pool, const RouteMatch& match, std::shared_ptr<HttpRequest> req) {
    auto guard = net::make_work_guard(stream_.get_executor());
    bool queued = pool.TrySubmit([self = shared_from_this(), &pool, m = match, req, guard]() mutable {
      auto resp = CallHandler(m, *req);
      net::post(self->stream_.get_executor(),
                [self, &pool, m = std::move(m), resp = std::move(resp), req]() mutable {
                  self->Answer(pool, m, req, std::move(resp));
                });
      guard.reset();
    });
    if (!queued) {
      held_.reset();
      auto resp = ProblemResponse(
          Error::Unavailable("The server is busy. Try again shortly.", kBusyRetryAfter));
      Reply(std::move(resp), keep_alive_, *req);
    }
  }

  // A long-poll handler may say "not yet" (resp.hold): the connection then
  // waits on a timer and the WaitHub, holding no thread, and the handler
  // runs again when woken (http/held_answer.h). Stopping answers at once.
  void Answer(WorkPool& pool, const RouteMatch& match, std::shared_ptr<HttpRequest> req,
              HttpResponse resp) {
    if (!resp.hold) {
      held_.reset();
      return Reply(std::move(resp), keep_alive_, *req);
    }
    req->held = HeldRequest{resp.hold->seen, resp.hold->until, !server_.waits || server_.stopping};
    if (req->held->final) return RunOnPool(pool, match, req);
    if (!held_) held_ = HeldAnswer::Start(stream_.get_executor(), *server_.waits, resp.hold->topic);
    held_->Await(*resp.hold, [self = shared_from_this(), &pool, match, req] {
      if (self->server_.stopping) req->held->final = true;
      self->RunOnPool(pool, match, req);
    });
  }

  void Reply(HttpResponse resp, bool keep_alive, const HttpRequest& req = HttpRequest()) {
    const auto now = std::chrono::steady_clock::now();
    const auto elapsed = now - started_;
    server_.metrics.RecordRequest(route_.empty() ? "unparsed" : route_, req.method, resp.status,
                                  elapsed);
    LogRequest({req.request_id, req.method, route_, resp.status,
                std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed), req.client_ip});
    ResponseHead head(resp.status);
    head.Set("Server", "twostepd");
    if (!resp.content_type.empty()) head.Set("Content-Type", resp.content_type);
    if (!req.request_id.empty()) head.Set("X-Request-Id", req.request_id);
    head.Set("X-Content-Type-Options", "nosniff");
    if constexpr (std::is_same_v<Stream, TlsStream>)
      head.Set("Strict-Transport-Security", "max-age=31536000");
    if (resp.content_type.find("json") != std::string::npos) head.Set("Cache-Control", "no-store");
    for (const auto& [k, v] : resp.headers) head.Set(k, v);
    const bool keep = keep_alive && !server_.stopping;
    head.Write(header_, resp.body.size(), keep);
    body_ = std::move(resp.body);
    if (head_) body_.clear();
    ArmFor(server_.options.write_timeout, now);
    // One gathered write of the header and the body.
    std::array<net::const_buffer, 2> buffers{net::buffer(header_), net::buffer(body_)};
    net::async_write(stream_, buffers,
                     [self = shared_from_this(), keep](beast::error_code ec, size_t) {
                       self->Completed(ec);
                       self->SetBusy(false);  // answered (or the client is gone)
                       if (ec) return self->Close();
                       if (!keep) return self->LingeringClose();
                       self->route_ = {};
                       self->ReadHeader();
                     });
  }

  // The connection becomes a WebSocket session, which the drain reaches
  // through its registration: the registration holds the connection slot,
  // lives exactly as long as the session, and unregisters when it ends.
  void UpgradeToWebSocket(bhttp::request<bhttp::string_body> raw) {
    SetBusy(false);  // a WebSocket is not a request in flight
    struct Registration {
      Impl& server;
      ConnectionLimiter::Slot slot;
      ~Registration() { server.Unregister(this); }
    };
    auto registration = std::make_shared<Registration>(Registration{server_, slot_});
    const void* key = registration.get();
    Disarm();
    auto session = StartWsSession(TcpStream(), std::move(raw), *server_.ws, std::move(registration));
    // The session cannot end before this: its handlers run on this thread.
    server_.Register(key, session);
    if (server_.stopping) session->BeginDrain();
  }

  // The connection as the WebSocket session takes it.
  auto TcpStream() {
    if constexpr (std::is_same_v<Stream, PlainStream>) {
      return beast::tcp_stream(std::move(stream_));
    } else {
      return std::move(stream_);
    }
  }

  void SetBusy(bool busy) {
    if (busy == busy_) return;
    busy_ = busy;
    server_.in_flight.fetch_add(busy ? 1 : -1);
  }

  // After an answer that ends the connection while the client may still be
  // sending (413, 400): stop sending, then read and discard for a moment so
  // the kernel does not reset the connection and lose our answer.
  void LingeringClose() {
    beast::error_code ec;
    Socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return Close();
    ArmFor(server_.options.linger_timeout);
    Drain();
  }

  void Drain() {
    if (drained_ > server_.options.linger_max_bytes) return Close();
    auto buf = std::make_shared<std::array<char, 16384>>();
    Socket().async_read_some(net::buffer(*buf),
                            [self = shared_from_this(), buf](beast::error_code ec, size_t n) {
                              self->Completed(ec);
                              self->drained_ += n;
                              if (ec) return self->Close();
                              self->Drain();
                            });
  }

  void Close() {
    SetBusy(false);
    Disarm();
    beast::error_code ec;
    Socket().shutdown(tcp::socket::shutdown_send, ec);
    Socket().close(ec);
  }

  // The deadline of the read or write about to start (DeadlineSweep);
  // `now` when the caller has just read the clock.
  void ArmFor(std::chrono::steady_clock::duration timeout,
              std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now()) {
    Arm(now + timeout);
  }

  // A read or write ended: its deadline no longer applies, and if the
  // deadline was what ended it, `ec` says so (as Beast's tcp_stream did).
  void Completed(beast::error_code& ec) {
    Disarm();
    if (timed_out_) {
      timed_out_ = false;
      ec = beast::error::timeout;
    }
  }

  // As Beast's tcp_stream on a timeout: the socket closes, which ends the
  // pending operation (Completed turns its error into the timeout).
  void OnDeadline() override {
    timed_out_ = true;
    beast::error_code ec;
    Socket().close(ec);
  }

  auto& Socket() {
    if constexpr (std::is_same_v<Stream, PlainStream>) {
      return stream_;
    } else {
      return beast::get_lowest_layer(stream_).socket();
    }
  }

  Impl& server_;
  const Side& side_;
  DeadlineSweep& sweep_;  // of this connection's io_context
  Stream stream_;
  beast::flat_buffer buffer_;
  std::string header_;  // the answer's head being written (kept: its capacity is reused)
  std::string body_;    // the answer's body being written
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string peer_;
  // The request's route pattern: the router's own string (it outlives the
  // connections) or a literal, not a copy per request.
  std::string_view route_;
  std::chrono::steady_clock::time_point started_;
  bool keep_alive_ = false;
  bool first_ = true;
  bool busy_ = false;
  bool head_ = false;
  bool timed_out_ = false;  // the deadline closed the socket
  size_t drained_ = 0;
  ConnectionLimiter::Slot slot_;  // this peer's connection slot (null: not limited)
  std::shared_ptr<HeldAnswer> held_;  // the long-poll answer being held, if any
};

void HttpServer::Impl::StartSession(tcp::socket socket, const Side& side,
                                    ConnectionLimiter::Slot slot) {
  auto& ioc = static_cast<net::io_context&>(
      net::query(socket.get_executor(), net::execution::context));
  DeadlineSweep& sweep = SweepOf(ioc);
  // Not make_shared: the sweep's weak reference would keep an ended
  // connection's whole block allocated until the next tick (a burst of
  // WebSocket upgrades ends thousands of HTTP sessions a second); apart,
  // only the control block waits.
  if (tls && !side.management) {
    std::shared_ptr<Session<TlsStream>> s(
        new Session<TlsStream>(*this, side, std::move(slot), sweep, std::move(socket), *tls));
    Register(s.get(), s);
    s->Start();
  } else {
    std::shared_ptr<Session<PlainStream>> s(new Session<PlainStream>(
        *this, side, std::move(slot), sweep, OnOwnExecutor(std::move(socket), ioc)));
    Register(s.get(), s);
    s->Start();
  }
}

}  // namespace twostep::http
