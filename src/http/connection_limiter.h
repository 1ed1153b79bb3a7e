// ConnectionLimiter: live connections per client address, for
// server.max_connections_per_ip (SPEC abuse controls: a per-IP connection
// cap). A connection takes a slot at accept and holds it for its whole life,
// also after it became a WebSocket; dropping the last reference to the slot
// gives it back. Thread-safe; slots may outlive the limiter.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace twostep::http {

class ConnectionLimiter {
 public:
  using Slot = std::shared_ptr<void>;

  explicit ConnectionLimiter(size_t max_per_ip);
  // A slot for one more connection from `ip`, or null when `ip` already holds
  // max_per_ip of them.
  Slot TryAcquire(const std::string& ip);
  // Live connections of `ip`.
  size_t Count(const std::string& ip) const;

  struct State;  // shared with the slots (connection_limiter.cc)

 private:
  std::shared_ptr<State> state_;
};

}  // namespace twostep::http
