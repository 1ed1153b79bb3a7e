// HTTP/1.1 keep-alive load over many connections per thread (Beast/Asio).
// Closed loop (each connection sends its next request when the answer
// arrives) or open loop at a fixed total rate (each connection has its own
// schedule; latency counts from the scheduled time, so a slow server cannot
// hide its queueing by slowing the client down: no coordinated omission).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "stats.h"

namespace bench {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
using SteadyTime = std::chrono::steady_clock::time_point;

struct LoadSpec {
  boost::asio::ip::tcp::endpoint server;
  int connections = 64;
  int threads = 1;
  double seconds = 10;
  double rate = 0;  // requests/s over all connections; 0 = closed loop
  // Fills the next request of connection `conn`; false when there is no
  // more work (e.g. the seeded challenges ran out).
  std::function<bool(size_t conn, Request&)> make;
  // Optional: sees every answer with its connection (the `conn` of the
  // `make` that filled its request), the time its request was sent (or
  // scheduled) and the time it arrived.
  std::function<void(size_t conn, const Response&, SteadyTime sent, SteadyTime arrived)> on_response;
};

struct LoadResult {
  double elapsed_s = 0;
  uint64_t answers = 0;
  uint64_t transport_errors = 0;
  uint64_t missing_retry_after = 0;  // 503 answers without Retry-After
  std::map<int, uint64_t> statuses;
  Samples latency;  // every answer
  Samples latency_2xx;
  uint64_t Count2xx() const;
  boost::json::object ToJson();
};

LoadResult RunHttpLoad(const LoadSpec& spec);

}  // namespace bench
