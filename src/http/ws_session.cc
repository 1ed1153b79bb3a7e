#include "http/ws_session.h"

#include <unistd.h>

#include <list>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

#include <boost/asio.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "http/ws_messages.h"
#include "http/work_pool.h"
#include "http/ws_hub.h"

namespace twostep::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
namespace json = boost::json;

namespace {

// Messages waiting for a slow reader; more and it is closed (it would
// otherwise hold memory without bound). A device gets few live messages (a
// code request and its outcome), so a full queue means it stopped reading.
constexpr size_t kQueueLimit = 64;
// The only message a client sends is the auth message, a few hundred bytes.
constexpr size_t kMaxMessage = 4096;
// The opening (our 101 answer) and closing handshakes: a peer that is
// there at all completes them at once.
constexpr std::chrono::seconds kHandshakeTimeout{10};

// Memory per idle device (issue #18: <= 4 KiB each, 100,000 per process).
// Where the bytes of one idle plain connection went, measured with
// heaptrack (bench/ANALYSIS.md, "Memory per idle device"): Beast's stream
// state (2.5 KiB, of which 1.5 KiB is its fixed frame read buffer), a
// 1.5 KiB read buffer prepared by the pending async_read, the pending read's
// handler chain (0.7 KiB, every layer copying the type-erased
// any_io_executor, then wrapping a strand), the tcp_stream's own state with
// its two timers (0.5 KiB, unused: Beast's WebSocket timeouts replace them).
// A plain connection therefore runs on the bare socket and the io_context's
// own executor: each io_context has exactly one thread (http/server.cc),
// which serialises the connection's handlers.
// (wss:// keeps its ssl_stream over the tcp_stream, which cannot be taken
// out from under it: a TLS device costs more, and was not measured.)
using Executor = net::io_context::executor_type;
using PlainSocket = net::basic_stream_socket<net::ip::tcp, Executor>;

// Moves the upgraded connection's socket off its tcp_stream (and its
// any_io_executor) onto the same io_context's plain executor.
PlainSocket Unwrap(beast::tcp_stream stream) {
  auto& from = stream.socket();
  auto& ioc = static_cast<net::io_context&>(
      net::query(from.get_executor(), net::execution::context_as<net::execution_context&>));
  beast::error_code ec;
  auto protocol = from.local_endpoint(ec).protocol();
  PlainSocket to(ioc.get_executor());
  if (ec) return to;  // the peer is already gone: a closed socket ends the session at once
  int fd = from.release(ec);
  if (ec) return to;
  to.assign(protocol, fd, ec);
  if (ec) ::close(fd);
  return to;
}

// Asio recycles a completed operation's memory, per thread, for the next
// operation of any size up to 2 KiB: an idle connection's pending read or
// timer wait then keeps whatever larger block the HTTP path or the
// handshake last freed (heaptrack: ~640 bytes per idle device for two
// waits of ~100 and ~290). The operations an idle connection keeps pending
// take exactly their size from operator new instead. (A std::allocator
// would not do: asio takes it as "none given" and recycles.)
template <class T>
struct ExactAllocator {
  using value_type = T;
  ExactAllocator() = default;
  template <class U>
  ExactAllocator(const ExactAllocator<U>&) noexcept {}  // NOLINT: rebinding
  T* allocate(size_t n) {
    return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t(alignof(T))));
  }
  void deallocate(T* p, size_t) noexcept { ::operator delete(p, std::align_val_t(alignof(T))); }
  template <class U>
  bool operator==(const ExactAllocator<U>&) const noexcept { return true; }
};

template <class Handler>
auto Exact(Handler&& handler) {
  return net::bind_allocator(ExactAllocator<void>(), std::forward<Handler>(handler));
}

PlainSocket& Socket(PlainSocket& s) { return s; }
net::ip::tcp::socket& Socket(beast::tcp_stream& s) { return s.socket(); }

template <class Stream>
class WsSession : public LiveConnection,
                  public Drainable,
                  public std::enable_shared_from_this<WsSession<Stream>> {
  using std::enable_shared_from_this<WsSession<Stream>>::shared_from_this;

 public:
  WsSession(Stream stream, WsContext& ctx, std::shared_ptr<void> slot)
      : ws_(std::move(stream)),
        ctx_(ctx),
        timer_(ws_.get_executor()),
        auth_message_(std::make_unique<beast::flat_buffer>()),
        slot_(std::move(slot)) {}

  ~WsSession() override {
    if (registered_) ctx_.hub.Unregister(hub_key_, this);
  }

  void Start(beast::http::request<beast::http::string_body> req) {
    if constexpr (!std::is_same_v<Stream, PlainSocket>) beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout t{};
    t.handshake_timeout = kHandshakeTimeout;
    // No idle timeout of Beast's: its timer's pending wait takes a recycled
    // block (see Exact); KeepAlive below does the same with our timer.
    t.idle_timeout = websocket::stream_base::none();
    t.keep_alive_pings = false;
    ws_.set_option(t);
    // Any control frame (the pong to our ping, a ping, the close) is a sign of life.
    ws_.control_callback([this](websocket::frame_type, beast::string_view) { heard_ = true; });
    ws_.read_message_max(kMaxMessage);
    ws_.async_accept(req, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->accepted_ = true;
      if (self->closing_) return self->MaybeClose();  // the drain began meanwhile
      self->StartAuthTimer();
      self->Read();
    });
  }

  void Send(std::string text) override {
    net::post(ws_.get_executor(), [self = shared_from_this(), text = std::move(text)]() mutable {
      self->Queue(std::move(text));
    });
  }

  // The drain: what is queued still goes out, then the close 1012, on which
  // the apps reconnect (through the load balancer, to another instance).
  void BeginDrain() override {
    net::post(ws_.get_executor(), [self = shared_from_this()] {
      self->close_code_ = websocket::close_code::service_restart;
      self->closing_ = true;
      if (self->accepted_) self->MaybeClose();
    });
  }

  void Abort() override {
    net::post(ws_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      auto& socket = Socket(beast::get_lowest_layer(self->ws_));
      socket.shutdown(net::ip::tcp::socket::shutdown_both, ec);
      socket.close(ec);
    });
  }

  void SendAndClose(std::string text) override {
    net::post(ws_.get_executor(), [self = shared_from_this(), text = std::move(text)]() mutable {
      if (!text.empty()) self->Queue(std::move(text));
      self->closing_ = true;
      self->MaybeClose();
    });
  }

 private:
  void StartAuthTimer() {
    timer_.expires_after(ctx_.auth_timeout);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->authed_ || self->authenticating_) return;
      self->SendAndClose(WsErrorText(
          "auth_timeout", "Send the auth message first, within " +
                              std::to_string(self->ctx_.auth_timeout.count()) + " seconds."));
    });
  }

  void Read() {
    if (authed_ || authenticating_) return Discard();
    ws_.async_read(*auth_message_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->OnGone();
      std::string text = beast::buffers_to_string(self->auth_message_->data());
      self->auth_message_.reset();  // the auth message was its only use
      self->Authenticate(text);
      if (!self->closing_) self->Read();
    });
  }

  // After the auth message the client has nothing to say and what it sends
  // is ignored. A pending async_read would keep a dynamic buffer prepared
  // (1.5 KiB per idle device); read_some into a few bytes of the session
  // keeps none. Beast still answers pings, reads pongs (the idle timeout)
  // and the close while this is pending.
  void Discard() {
    ws_.async_read_some(net::buffer(discard_), Exact([self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->OnGone();
      self->heard_ = true;
      if (!self->closing_) self->Discard();
    }));
  }

  // The idle timeout, as Beast's keep_alive_pings did it: a connection
  // silent for half of it gets a ping; silent for all of it (the ping
  // unanswered: a peer or a path that died without a FIN), it is closed.
  void KeepAlive() {
    timer_.expires_after(std::chrono::milliseconds(ctx_.idle_timeout) / 2);
    timer_.async_wait(Exact([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->closed_) return;
      if (std::exchange(self->heard_, false)) {
        self->ping_sent_ = false;
      } else if (!self->ping_sent_) {
        self->ping_sent_ = true;
        if (!self->pinging_ && !self->closing_) {
          self->pinging_ = true;
          self->ws_.async_ping({}, [self](beast::error_code) { self->pinging_ = false; });
        }
      } else {
        return self->Abort();  // the pending read then fails: OnGone
      }
      self->KeepAlive();
    }));
  }

  void Authenticate(const std::string& text) {
    std::optional<Secret> token = DecodeAuthMessage(text);
    if (!token) return SendAndClose(WsErrorText("invalid_request", "Expected {\"type\":\"auth\",\"token\":...}."));
    authenticating_ = true;
    auto self = shared_from_this();
    bool queued = ctx_.work.TrySubmit([self, token = std::move(*token)] {
      auto caller = self->ctx_.authenticate(token);
      net::post(self->ws_.get_executor(), [self, caller = std::move(caller)]() mutable {
        self->OnAuthenticated(std::move(caller));
      });
    });
    if (!queued) SendAndClose(WsErrorText("unavailable", "The server is busy. Reconnect shortly."));
  }

  void OnAuthenticated(Result<service::DeviceSession> session) {
    authenticating_ = false;
    if (closing_) return;  // replaced, timed out or draining meanwhile
    if (!session) {
      if (session.error().code == ErrorCode::kForbidden)
        return SendAndClose(WsErrorText("forbidden", session.error().detail));
      return SendAndClose(WsErrorText("unauthorized", "The access token is not valid."));
    }
    authed_ = true;
    KeepAlive();  // the auth timer's wait is cancelled by the new expiry
    const service::Caller& caller = session->caller;
    if (!ctx_.hub.Register(caller.account_id, caller.device_id, shared_from_this(),
                           caller.family_id, session->trusted_device))
      return SendAndClose(WsErrorText("forbidden", "This device is connected as a trusted device."));
    registered_ = true;
    // Only what Unregister needs stays with the session, as one string.
    hub_key_ = WsHub::Key(caller.account_id, caller.device_id);
    Queue(json::serialize(json::object{{"type", "ready"}, {"device_id", caller.device_id}}));
  }

  void Queue(std::string text) {
    // After signed_out/replaced (SendAndClose) nothing more is sent: a
    // notification racing with a device's removal must not follow its
    // signed_out message (tests/integration/test_races.py).
    if (closed_ || closing_) return;
    // The message being written (the front, while writing_) counts too.
    if (queue_.size() >= kQueueLimit) {
      spdlog::warn("closing a WebSocket whose reader is too slow");
      // What waits goes; the bytes in flight stay until their write ends.
      queue_.erase(writing_ ? std::next(queue_.begin()) : queue_.begin(), queue_.end());
      closing_ = true;
      return MaybeClose();
    }
    queue_.push_back(std::move(text));
    if (!writing_) Write();
  }

  // Writes the queue's front, which stays there (a list node does not move)
  // until its write ends.
  void Write() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(net::buffer(queue_.front()),
                    [self = shared_from_this()](beast::error_code ec, size_t) {
                      self->writing_ = false;
                      self->queue_.pop_front();
                      if (ec) return self->OnGone();
                      if (!self->queue_.empty()) return self->Write();
                      self->MaybeClose();
                    });
  }

  void MaybeClose() {
    if (!closing_ || writing_ || !queue_.empty() || closed_) return;
    closed_ = true;
    ws_.async_close(close_code_,
                    [self = shared_from_this()](beast::error_code) { self->OnGone(); });
  }

  void OnGone() {
    timer_.cancel();
    if (registered_) {
      registered_ = false;
      ctx_.hub.Unregister(hub_key_, this);
    }
  }

  using Timer = net::basic_waitable_timer<std::chrono::steady_clock,
                                          net::wait_traits<std::chrono::steady_clock>,
                                          typename websocket::stream<Stream>::executor_type>;

  websocket::stream<Stream> ws_;
  WsContext& ctx_;
  Timer timer_;  // the auth timeout, then the keep-alive
  // Read into only until the auth message came: an idle device keeps none.
  std::unique_ptr<beast::flat_buffer> auth_message_;
  char discard_[8];  // what the client sends after auth, ignored
  // A list, not a deque (an empty std::deque already allocates a 512-byte
  // block) nor a vector (its growth moves the string being written, and
  // the bytes in flight must not move): empty, it allocates nothing.
  std::list<std::string> queue_;
  std::string hub_key_;  // WsHub::Key of the registration
  bool authed_ = false;
  bool authenticating_ = false;
  bool registered_ = false;
  bool writing_ = false;
  bool closing_ = false;
  bool closed_ = false;
  bool accepted_ = false;
  bool heard_ = false;      // something came since the last keep-alive tick
  bool ping_sent_ = false;  // and a ping went out at the last one
  bool pinging_ = false;    // Beast allows one ping in flight
  websocket::close_code close_code_ = websocket::close_code::normal;
  std::shared_ptr<void> slot_;  // the per-IP connection slot, given back with the session
};

}  // namespace

std::shared_ptr<Drainable> StartWsSession(beast::tcp_stream stream,
                                          beast::http::request<beast::http::string_body> request,
                                          WsContext& context, std::shared_ptr<void> slot) {
  auto session =
      std::make_shared<WsSession<PlainSocket>>(Unwrap(std::move(stream)), context, std::move(slot));
  session->Start(std::move(request));
  return session;
}

std::shared_ptr<Drainable> StartWsSession(beast::ssl_stream<beast::tcp_stream> stream,
                                          beast::http::request<beast::http::string_body> request,
                                          WsContext& context, std::shared_ptr<void> slot) {
  auto session = std::make_shared<WsSession<beast::ssl_stream<beast::tcp_stream>>>(
      std::move(stream), context, std::move(slot));
  session->Start(std::move(request));
  return session;
}

}  // namespace twostep::http
