#include "http/accept_loop.h"

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

void AcceptLoop::Close() {
  net::post(strand_, [this] {
    // The kernel has already accepted the connections in the listen
    // backlog, and their clients may have sent a request (a load balancer
    // does right after connect()): closing the socket now would reset
    // them, and a proxy answers a POST it cannot retry with 502. So they
    // are taken first, without waiting, and served like any other; only
    // then does the listener close (new connections are refused, and a
    // load balancer sends them elsewhere).
    boost::system::error_code ec;
    acceptor_.non_blocking(true, ec);
    while (!ec && on_accept_) {
      tcp::socket socket = acceptor_.accept(net::make_strand(next_context_()), ec);
      if (!ec) on_accept_(std::move(socket));
    }
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    timer_.cancel();
  });
}

void AcceptLoop::Accept() {
  if (!acceptor_.is_open()) return;
  acceptor_.async_accept(net::make_strand(next_context_()), [this](boost::system::error_code ec,
                                                                    tcp::socket socket) {
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
