// Code delivery (scenario 3) and idle connection memory (scenario 4):
// `devices` trusted devices hold a WebSocket on /v1/notifications while new
// devices sign in to their accounts at a fixed rate; each 202 answer's
// challenge id is matched with the `verification_code` message that
// reaches the trusted device.
#pragma once

#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/json/object.hpp>

namespace bench {

struct TrustedDevice {
  std::string email, password, device_id, device_secret, access_token;
};

struct WsCodesSpec {
  boost::asio::ip::tcp::endpoint server;
  std::vector<TrustedDevice> devices;
  int server_pid = 0;        // for resident memory before/after connecting
  double idle_seconds = 3;   // settle time before reading memory
  double rate = 200;         // new-device sign-ins per second
  double seconds = 20;
  int signin_connections = 32;
  int source_addresses = 4;  // 127.0.0.1 ... 127.0.0.N for the sockets
  // The server's management listener (port 0: none): its /metrics gives
  // twostep_sqlite_memory_bytes, the SQLite page caches, which fill as the
  // devices' sign-ins read the store and are bounded by cache_size, not by
  // the devices: the per-device figure leaves them out (and says so).
  unsigned short metrics_port = 0;
};

boost::json::object RunWsCodes(const WsCodesSpec& spec);

}  // namespace bench
