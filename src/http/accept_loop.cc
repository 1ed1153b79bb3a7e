#include "http/accept_loop.h"

#include <linux/filter.h>
#include <sys/socket.h>

#include <cerrno>
#include <stdexcept>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "http/metrics.h"

namespace twostep::http {

namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {
// Errors that last until other connections end: retrying at once would spin.
bool OutOfResources(const boost::system::error_code& ec) {
  if (ec.category() != boost::system::system_category()) return false;
  switch (ec.value()) {
    case EMFILE:
    case ENFILE:
    case ENOBUFS:
    case ENOMEM:
      return true;
    default:
      return false;
  }
}
}  // namespace

AcceptLoop::AcceptLoop(net::io_context& ioc, std::function<net::io_context&()> next_context,
                       Metrics& metrics, std::string name)
    : strand_(net::make_strand(ioc)), acceptor_(strand_), timer_(strand_),
      next_context_(std::move(next_context)), metrics_(metrics), name_(std::move(name)) {}

std::string AcceptLoop::Listen(const std::string& host, uint16_t port) {
  boost::system::error_code ec;
  auto address = net::ip::make_address(host, ec);
  if (ec) throw std::runtime_error("invalid " + name_ + " address " + host);
  tcp::endpoint ep(address, port);
  acceptor_.open(ep.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(ep, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + " (" +
                             name_ + "): " + ec.message());
  auto local = acceptor_.local_endpoint();
  std::string shown = local.address().to_string();
  if (local.address().is_v6()) shown = "[" + shown + "]";
  return shown + ":" + std::to_string(local.port());
}

void AcceptLoop::Start(Handler on_accept) {
  on_accept_ = std::move(on_accept);
  net::post(strand_, [this] { Accept(); });
}

// The kernel has already accepted the connections in the listen backlog,
// and their clients may have sent a request (a load balancer does right
// after connect()): closing the socket would reset them, and a proxy
// answers a POST it cannot retry with 502. Closing first and taking them
// after is no way out (Linux resets the backlog with the listener). So:
// new handshakes stop first (RefuseNewHandshakes), the backlog is taken
// and served like any other connection, and once the handshakes already
// under way had a round trip to complete, the backlog is taken again and
// the listener closes. A client that connects meanwhile is refused before
// it sends anything, and the load balancer sends it elsewhere.
void AcceptLoop::Close() {
  net::post(strand_, [this] {
    if (!acceptor_.is_open()) return;
    timer_.cancel();  // a paused accept loop stays paused
    RefuseNewHandshakes();
    TakeBacklog();
    if (before_close_) before_close_();
    timer_.expires_after(kHandshakeGrace);
    timer_.async_wait([this](boost::system::error_code) {
      TakeBacklog();
      boost::system::error_code ignored;
      acceptor_.close(ignored);
    });
  });
}

void AcceptLoop::RefuseNewHandshakes() {
  // A socket filter on the listener (classic BPF, no privilege needed):
  // segments with SYN set, the first of a new connection, are dropped;
  // the rest (the ACK that completes a handshake under way) pass. The
  // client sends its SYN again after a second and meets the closed
  // listener: refused, with nothing sent. The filter sees the TCP header
  // at offset 0; byte 13 holds the flags.
  sock_filter code[] = {
      BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 13),
      BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x02, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, 0),
      BPF_STMT(BPF_RET | BPF_K, 0xffffffffu),
  };
  sock_fprog program{static_cast<unsigned short>(std::size(code)), code};
  if (::setsockopt(acceptor_.native_handle(), SOL_SOCKET, SO_ATTACH_FILTER, &program,
                   sizeof program) != 0)
    // Then a connection may still slip in between the last accept and the
    // close, as before: rare, and a client retries.
    spdlog::warn(R"({{"event":"listener_filter_failed","listener":"{}","errno":{}}})", name_, errno);
}

void AcceptLoop::TakeBacklog() {
  boost::system::error_code ec;
  acceptor_.non_blocking(true, ec);
  while (!ec && on_accept_) {
    tcp::socket socket = acceptor_.accept(next_context_(), ec);
    if (!ec) on_accept_(std::move(socket));
  }
}

void AcceptLoop::Accept() {
  if (!acceptor_.is_open()) return;
  // A connection's socket uses its io_context's plain executor, not a
  // strand: one thread runs each io_context (HttpServer::Run), which
  // serialises the connection's handlers already, and every handler would
  // otherwise copy and release the strand's shared state (issue #18, the
  // profile in bench/ANALYSIS.md).
  acceptor_.async_accept(next_context_(), [this](boost::system::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;
    if (!acceptor_.is_open()) {
      // Accepted just before Close(): served like the rest of the backlog.
      if (!ec) on_accept_(std::move(socket));
      return;
    }
    if (OutOfResources(ec)) return Pause(ec);
    if (failures_ > 0) {
      auto paused = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - paused_since_);
      spdlog::info(R"({{"event":"accept_resumed","listener":"{}","failed_accepts":{},"paused_ms":{}}})",
                   name_, failures_, paused.count());
      failures_ = 0;
      pause_ = std::chrono::milliseconds(0);
    }
    // Other errors concern one connection (e.g. reset before it was
    // taken): the next one is accepted at once.
    if (!ec) on_accept_(std::move(socket));
    Accept();
  });
}

void AcceptLoop::Pause(const boost::system::error_code& ec) {
  metrics_.Increment("accept_errors", "fds_exhausted");
  if (failures_++ == 0) {
    paused_since_ = std::chrono::steady_clock::now();
    pause_ = kFirstPause;
    // Once per episode: a log line per failed accept would be its own flood.
    spdlog::warn(R"({{"event":"accept_paused","listener":"{}","error":"{}","retry_ms":{}}})", name_,
                 ec.message(), pause_.count());
  } else {
    pause_ = std::min(pause_ * 2, kLongestPause);
  }
  timer_.expires_after(pause_);
  timer_.async_wait([this](boost::system::error_code wait_ec) {
    if (wait_ec) return;  // closed
    Accept();
  });
}

}  // namespace twostep::http
