// AcceptLoop: one listening socket and its accept loop (the public listener,
// and the management one). Each accepted socket goes to the handler,
// already bound to the io_context it will live on.
//
// When the process is out of file descriptors (EMFILE, ENFILE) or kernel
// memory (ENOBUFS, ENOMEM), accept() fails while the clients wait in the
// listen backlog, so the socket stays readable: retrying at once would spin
// a core and starve the connections being served. The loop waits instead,
// 100 ms doubling to 1 s, and logs the episode once ("accept_paused", then
// "accept_resumed"); every failed accept is counted as
// twostep_accept_errors_total{kind="fds_exhausted"}. Internal to http/.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

namespace twostep::http {

class Metrics;

class AcceptLoop {
 public:
  using Socket = boost::asio::ip::tcp::socket;
  using Handler = std::function<void(Socket)>;
  // The loop runs on a strand of `ioc`; `next_context` picks the
  // io_context of each accepted connection. `name` is for the log.
  AcceptLoop(boost::asio::io_context& ioc, std::function<boost::asio::io_context&()> next_context,
             Metrics& metrics, std::string name);

  // Binds and listens; returns "HOST:PORT" with the real port (IPv6 in
  // brackets). Throws std::runtime_error when the address cannot be bound.
  std::string Listen(const std::string& host, uint16_t port);
  // Starts accepting (once, before the io_context runs).
  void Start(Handler on_accept);
  // Stops accepting; thread-safe. New connections are refused before they
  // can send anything (a load balancer retries them elsewhere); the
  // connections already waiting in the kernel's listen backlog, and those
  // whose handshake was under way, are handed to the handler (not reset).
  // The listener closes kHandshakeGrace later.
  void Close();
  // Test seam: runs inside Close() once the backlog is drained, just
  // before the listener closes (where a late connection could slip in).
  void SetBeforeCloseForTest(std::function<void()> hook) { before_close_ = std::move(hook); }

  static constexpr std::chrono::milliseconds kFirstPause{100};
  static constexpr std::chrono::milliseconds kLongestPause{1000};
  // How long a handshake begun before Close() gets to complete: far above
  // a round trip to a load balancer on the host or the LAN.
  static constexpr std::chrono::milliseconds kHandshakeGrace{50};

 private:
  void Accept();
  void Pause(const boost::system::error_code& ec);
  void RefuseNewHandshakes();
  void TakeBacklog();

  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer timer_;
  std::function<boost::asio::io_context&()> next_context_;
  Metrics& metrics_;
  std::string name_;
  Handler on_accept_;
  std::function<void()> before_close_;
  // The current episode of failed accepts (on the strand only).
  std::chrono::milliseconds pause_{0};
  uint64_t failures_ = 0;
  std::chrono::steady_clock::time_point paused_since_;
};

}  // namespace twostep::http
