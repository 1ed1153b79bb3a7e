// The drain's listener close (issue #22): connections the kernel already
// accepted into the listen backlog are served, not reset. A load balancer
// that had sent a request on one of them would otherwise answer 502 (seen
// in it.pg.test_pg_rolling_restart: "upstream prematurely closed").
#include "http/accept_loop.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>

#include "http/metrics.h"

namespace twostep::http {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// A listener on a free loopback port; what it accepts lands in `accepted`.
class AcceptLoopTest : public ::testing::Test {
 protected:
  AcceptLoopTest() {
    const std::string where = loop.Listen("127.0.0.1", 0);
    port = static_cast<uint16_t>(std::stoi(where.substr(where.rfind(':') + 1)));
    loop.Start([this](tcp::socket s) { accepted.push_back(std::move(s)); });
  }

  net::io_context ioc;
  Metrics metrics;
  AcceptLoop loop{ioc, [this]() -> net::io_context& { return ioc; }, metrics, "test"};
  uint16_t port = 0;
  std::vector<tcp::socket> accepted;
};

TEST_F(AcceptLoopTest, CloseServesTheConnectionsAlreadyInTheBacklog) {

  // The io_context has not run: these connect through the kernel's backlog
  // alone, and each sends a request, as nginx does right after connect().
  net::io_context client_ioc;
  std::vector<tcp::socket> clients;
  for (int i = 0; i < 5; ++i) {
    clients.emplace_back(client_ioc);
    clients.back().connect({net::ip::make_address("127.0.0.1"), port});
    net::write(clients.back(), net::buffer(std::string("GET /healthz HTTP/1.1\r\n\r\n")));
  }
  loop.Close();
  ioc.run();  // the first accept, then the close: returns when nothing is left to do

  EXPECT_EQ(accepted.size(), clients.size());
  for (auto& s : accepted) {  // each has its request, unread
    char buf[64];
    boost::system::error_code ec;
    const size_t n = s.read_some(net::buffer(buf), ec);
    EXPECT_FALSE(ec) << ec.message();
    EXPECT_EQ(std::string(buf, n).rfind("GET /healthz", 0), 0u);
  }
  // The listener is closed now: a new connection is refused.
  tcp::socket late(client_ioc);
  boost::system::error_code ec;
  late.connect({net::ip::make_address("127.0.0.1"), port}, ec);
  EXPECT_TRUE(ec);
}

// A client whose connection would complete in the instant between the
// backlog drain and the listener close (forced here by the test seam) must
// not be reset after it sent its request (a proxy answers a POST it cannot
// retry with 502): it is refused before it sends anything, which a load
// balancer retries on another instance.
TEST_F(AcceptLoopTest, AConnectionArrivingWhileTheListenerClosesIsRefusedNotReset) {

  const int late = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  ASSERT_GE(late, 0);
  bool sent = false;
  loop.SetBeforeCloseForTest([&] {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::connect(late, reinterpret_cast<sockaddr*>(&addr), sizeof addr);  // EINPROGRESS
    pollfd p{late, POLLOUT, 0};
    int err = 0;
    socklen_t len = sizeof err;
    // Bounded: on loopback a handshake the listener takes completes at once.
    if (::poll(&p, 1, 200) == 1 && ::getsockopt(late, SOL_SOCKET, SO_ERROR, &err, &len) == 0 &&
        err == 0) {
      const std::string request = "POST /v1/sessions HTTP/1.1\r\n\r\n";
      sent = ::send(late, request.data(), request.size(), MSG_NOSIGNAL) > 0;
    }
  });
  loop.Close();
  ioc.run();

  if (sent) {  // it got in: then it must have been served, not reset
    char buf[16];
    const ssize_t n = ::recv(late, buf, sizeof buf, 0);
    EXPECT_FALSE(n < 0 && errno == ECONNRESET) << "sent its request, then was reset";
    EXPECT_EQ(accepted.size(), 1u);
  } else {  // refused: its SYN is retried and meets the closed listener
    pollfd p{late, POLLOUT, 0};
    ASSERT_EQ(::poll(&p, 1, 5000), 1);
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(late, SOL_SOCKET, SO_ERROR, &err, &len);
    EXPECT_EQ(err, ECONNREFUSED);
  }
  ::close(late);
}

}  // namespace
}  // namespace twostep::http
