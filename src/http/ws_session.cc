#include "http/ws_session.h"

#include <vector>

#include <boost/asio.hpp>
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

template <class Stream>
class WsSession : public LiveConnection,
                  public Drainable,
                  public std::enable_shared_from_this<WsSession<Stream>> {
  using std::enable_shared_from_this<WsSession<Stream>>::shared_from_this;

 public:
  WsSession(Stream stream, WsContext& ctx, std::shared_ptr<void> slot)
      : ws_(std::move(stream)), ctx_(ctx), auth_timer_(ws_.get_executor()), slot_(std::move(slot)) {}

  ~WsSession() override {
    if (registered_) ctx_.hub.Unregister(caller_.account_id, caller_.device_id, this);
  }

  void Start(beast::http::request<beast::http::string_body> req) {
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout t{};
    t.handshake_timeout = kHandshakeTimeout;
    t.idle_timeout = ctx_.idle_timeout;
    t.keep_alive_pings = true;
    ws_.set_option(t);
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
      beast::get_lowest_layer(self->ws_).socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
      beast::get_lowest_layer(self->ws_).close();
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
    auth_timer_.expires_after(ctx_.auth_timeout);
    auth_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->authed_ || self->authenticating_) return;
      self->SendAndClose(WsErrorText(
          "auth_timeout", "Send the auth message first, within " +
                              std::to_string(self->ctx_.auth_timeout.count()) + " seconds."));
    });
  }

  void Read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->OnGone();
      std::string text = beast::buffers_to_string(self->buffer_.data());
      // An idle connection keeps no read buffer: after auth a client has
      // nothing to say, and 10,000 idle devices must not hold 10,000 buffers.
      self->buffer_.clear();
      self->buffer_.shrink_to_fit();
      if (!self->authed_ && !self->authenticating_) self->Authenticate(text);
      // After auth the client has nothing to say; its messages are ignored.
      if (!self->closing_) self->Read();
    });
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
    auth_timer_.cancel();
    caller_ = session->caller;
    if (!ctx_.hub.Register(caller_.account_id, caller_.device_id, shared_from_this(),
                           caller_.family_id, session->trusted_device))
      return SendAndClose(WsErrorText("forbidden", "This device is connected as a trusted device."));
    registered_ = true;
    Queue(json::serialize(json::object{{"type", "ready"}, {"device_id", caller_.device_id}}));
  }

  void Queue(std::string text) {
    // After signed_out/replaced (SendAndClose) nothing more is sent: a
    // notification racing with a device's removal must not follow its
    // signed_out message (tests/integration/test_races.py).
    if (closed_ || closing_) return;
    if (queue_.size() >= kQueueLimit) {
      spdlog::warn("closing a WebSocket whose reader is too slow");
      queue_.clear();
      closing_ = true;
      return MaybeClose();
    }
    queue_.push_back(std::move(text));
    if (!writing_) Write();
  }

  void Write() {
    writing_ = true;
    // The message being written leaves the queue first: pushing to a
    // vector moves its elements, which must not move the bytes in flight.
    writing_text_ = std::move(queue_.front());
    queue_.erase(queue_.begin());
    ws_.text(true);
    ws_.async_write(net::buffer(writing_text_),
                    [self = shared_from_this()](beast::error_code ec, size_t) {
                      self->writing_ = false;
                      std::string().swap(self->writing_text_);
                      if (ec) return self->OnGone();
                      if (!self->queue_.empty()) return self->Write();
                      std::vector<std::string>().swap(self->queue_);
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
    auth_timer_.cancel();
    if (registered_) {
      registered_ = false;
      ctx_.hub.Unregister(caller_.account_id, caller_.device_id, this);
    }
  }

  websocket::stream<Stream> ws_;
  WsContext& ctx_;
  net::steady_timer auth_timer_;
  beast::flat_buffer buffer_;
  // A vector, not a deque: an empty std::deque already allocates its first
  // 512-byte block, per connection; this queue is almost always empty.
  std::vector<std::string> queue_;
  std::string writing_text_;
  service::Caller caller_;
  bool authed_ = false;
  bool authenticating_ = false;
  bool registered_ = false;
  bool writing_ = false;
  bool closing_ = false;
  bool closed_ = false;
  bool accepted_ = false;
  websocket::close_code close_code_ = websocket::close_code::normal;
  std::shared_ptr<void> slot_;  // the per-IP connection slot, given back with the session
};

}  // namespace

std::shared_ptr<Drainable> StartWsSession(beast::tcp_stream stream,
                                          beast::http::request<beast::http::string_body> request,
                                          WsContext& context, std::shared_ptr<void> slot) {
  auto session =
      std::make_shared<WsSession<beast::tcp_stream>>(std::move(stream), context, std::move(slot));
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
