// The WebSocket session's keep-alive (ws_session.cc runs it itself since
// issue #18 part 5, in place of Beast's idle timeout): a silent peer gets a
// ping and is closed after the idle timeout; one that answers stays.
#include "http/ws_session.h"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <optional>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "http/work_pool.h"
#include "http/ws_hub.h"

namespace twostep::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;

// The server side as http_session.cc hands it over: the upgrade request
// read from a tcp_stream on a strand, then StartWsSession. Members are in
// destruction order: the work pool posts into the io_context, and the
// sessions the io_context still holds unregister from the hub.
class OneWsServer {
 public:
  explicit OneWsServer(std::chrono::seconds idle_timeout)
      : ctx_{hub_, work_, [](const Secret&) -> Result<service::DeviceSession> {
               service::DeviceSession s;
               s.caller.account_id = "acc_1";
               s.caller.device_id = "dev-a";
               s.caller.family_id = "fam";
               s.trusted_device = true;
               return s;
             }} {
    ctx_.idle_timeout = idle_timeout;
    acceptor_.open(tcp::v4());
    acceptor_.bind({net::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket s) {
      if (ec) return;
      stream_.emplace(std::move(s));
      beast::http::async_read(*stream_, buffer_, request_, [this](beast::error_code ec, size_t) {
        if (!ec) session_ = StartWsSession(std::move(*stream_), std::move(request_), ctx_, nullptr);
      });
    });
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~OneWsServer() {
    ioc_.stop();
    thread_.join();
  }
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  WsHub& hub() { return hub_; }

 private:
  WsHub hub_;
  net::io_context ioc_{1};
  WorkPool work_{"ws-test", 1, 16};
  WsContext ctx_;
  tcp::acceptor acceptor_{ioc_};
  std::optional<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  beast::http::request<beast::http::string_body> request_;
  std::shared_ptr<Drainable> session_;
  std::thread thread_;
};

// A client that signed in and was told ready; its reads give up after 5 s
// (a guard: the waits below end long before).
void ConnectReady(websocket::stream<tcp::socket>& ws, unsigned short port) {
  ws.next_layer().connect({net::ip::make_address("127.0.0.1"), port});
  timeval guard{5, 0};
  setsockopt(ws.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof guard);
  ws.handshake("127.0.0.1", "/v1/notifications");
  ws.text(true);
  ws.write(net::buffer(std::string(R"({"type":"auth","token":"t"})")));
  beast::flat_buffer b;
  ws.read(b);
  ASSERT_NE(beast::buffers_to_string(b.data()).find("\"ready\""), std::string::npos);
}

TEST(WsSessionTest, ASilentPeerIsPingedThenClosedAfterTheIdleTimeout) {
  OneWsServer server(std::chrono::seconds(1));
  net::io_context ioc;
  websocket::stream<tcp::socket> ws(ioc);
  ConnectReady(ws, server.port());
  // Read the raw bytes, answering nothing: first a ping (half the idle
  // timeout), then the end of the connection (the whole of it).
  unsigned char head[2];
  beast::error_code ec;
  net::read(ws.next_layer(), net::buffer(head), ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(head[0], 0x89);  // FIN + ping
  EXPECT_EQ(head[1], 0x00);  // unmasked, empty
  unsigned char more[16];
  size_t n = ws.next_layer().read_some(net::buffer(more), ec);
  EXPECT_EQ(n, 0u);
  EXPECT_TRUE(ec == net::error::eof || ec == net::error::connection_reset) << ec.message();
}

TEST(WsSessionTest, APeerThatAnswersPingsOutlivesTheIdleTimeout) {
  OneWsServer server(std::chrono::seconds(1));
  net::io_context ioc;
  websocket::stream<tcp::socket> ws(ioc);
  ConnectReady(ws, server.port());
  // Beast's read answers each ping with a pong. A ping goes out every other
  // half-timeout (the pong counts as life in between), so the third comes
  // after 2.5 s: past twice the idle timeout, the connection is alive.
  int pings = 0;
  ws.control_callback([&](websocket::frame_type kind, beast::string_view) {
    if (kind == websocket::frame_type::ping && ++pings == 3)
      server.hub().Notify("acc_1", "dev-a", twostep::SignedOut{SignOutReason::kDeviceRemoved, ""});
  });
  beast::flat_buffer b;
  beast::error_code ec;
  ws.read(b, ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(pings, 3);
  EXPECT_NE(beast::buffers_to_string(b.data()).find("signed_out"), std::string::npos);
}

}  // namespace
}  // namespace twostep::http
