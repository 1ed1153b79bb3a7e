// WsHub: the registry of live WebSocket connections, one per device (a new
// one replaces the old, which is told {"type":"replaced"} and closed), and
// the Notifier that delivers to them. Holds weak references only, so a
// closed connection disappears by itself (Beast chat-multi style).
//
// Each connection belongs to one session (token family) and says whether
// that session proved to be the trusted device (presented or was issued its
// secret, SPEC U9). Codes and challenge_resolved go only to such
// connections, and a connection that did not prove it never replaces one
// that did. A signed_out naming a family closes only that session's
// connection. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "ports/notifier.h"

namespace twostep::http {

// One live connection, as the hub sees it. Implementations queue the text
// on their own strand; Send never blocks.
class LiveConnection {
 public:
  virtual ~LiveConnection() = default;
  virtual void Send(std::string text) = 0;
  // Sends `text` (may be empty) and then closes.
  virtual void SendAndClose(std::string text) = 0;
};

// One live connection's session, as the sweep checks it.
struct LiveSession {
  std::string account_id;
  std::string device_id;
  std::string family_id;
};

class WsHub : public Notifier {
 public:
  // False (and nothing registered) when `conn` is not a trusted-device
  // connection and the device already has a live one that is.
  bool Register(const std::string& account_id, const std::string& device_id,
                const std::shared_ptr<LiveConnection>& conn, const std::string& family_id,
                bool trusted_device);
  void Unregister(const std::string& account_id, const std::string& device_id,
                  const LiveConnection* conn);
  // The same by Key(account_id, device_id): a connection keeps that one
  // string instead of two (memory per idle device, issue #18).
  void Unregister(const std::string& key, const LiveConnection* conn);
  void Notify(const std::string& account_id, const std::string& device_id,
              const Notification& notification) override;
  size_t Connected() const;
  // Whether the device has a live connection that gets its codes (one of
  // a session that proved the trusted device): the mobile push skips such
  // a device unless its registration asked for both.
  bool ReceivesCodes(const std::string& account_id, const std::string& device_id) const;
  // (account id, device id) of every live connection.
  std::vector<std::pair<std::string, std::string>> LiveDevices() const;
  std::vector<LiveSession> LiveSessions() const;

  // Account ids never contain '/', so the key splits back unambiguously.
  static std::string Key(const std::string& account_id, const std::string& device_id) {
    return account_id + "/" + device_id;
  }

 private:
  struct Entry {
    std::weak_ptr<LiveConnection> conn;
    std::string family_id;
    bool trusted_device = false;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Entry> live_;  // GUARDED_BY(mutex_)
};

}  // namespace twostep::http
