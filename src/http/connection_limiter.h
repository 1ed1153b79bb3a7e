// ConnectionLimiter: live connections, for server.max_connections (all of a
// listener's connections) and server.max_connections_per_ip (per client
// address group). A connection takes a slot at accept and holds it for its
// whole life, also after it became a WebSocket; dropping the last reference
// to the slot gives it back. Thread-safe; slots may outlive the limiter.
//
// Address groups: an IPv4 address is its own group; an IPv6 address counts
// with its /64 prefix, since one subscriber or host usually gets a whole
// /64 and could otherwise open the cap's worth of connections from each of
// 2^64 addresses; an IPv4-mapped IPv6 address (a dual-stack listener's
// IPv4 peer) is the IPv4 address it maps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace twostep::http {

class ConnectionLimiter {
 public:
  using Slot = std::shared_ptr<void>;
  enum class Refusal { kNone, kPerIp, kTotal };
  struct Caps {
    // False for trusted proxies: they carry many clients. They still count
    // in the total.
    bool per_ip = true;
  };

  explicit ConnectionLimiter(size_t max_per_ip, size_t max_total = SIZE_MAX);
  // A slot for one more connection from `ip`, or null when `ip`'s group
  // already holds max_per_ip of them (`why`: kPerIp, checked first: the
  // address's own doing) or all groups together hold max_total (kTotal).
  Slot TryAcquire(const std::string& ip, Caps caps, Refusal* why = nullptr);
  Slot TryAcquire(const std::string& ip);  // with the default Caps
  // Live connections of `ip`'s group.
  size_t Count(const std::string& ip) const;
  // Live connections in all.
  size_t Total() const;
  // The group `ip` counts in: "192.0.2.1", "2001:db8:1:2::/64". A string that
  // is no address is its own group.
  static std::string GroupOf(const std::string& ip);

  struct State;  // shared with the slots (connection_limiter.cc)

 private:
  std::shared_ptr<State> state_;
};

}  // namespace twostep::http
