#include "http/ws_hub.h"

#include <vector>

#include "wire/notification_json.h"

namespace twostep::http {

bool WsHub::Register(const std::string& account_id, const std::string& device_id,
                     const std::shared_ptr<LiveConnection>& conn, const std::string& family_id,
                     bool trusted_device) {
  std::shared_ptr<LiveConnection> old;
  {
    std::lock_guard lock(mutex_);
    auto& slot = live_[Key(account_id, device_id)];
    old = slot.conn.lock();
    if (old && old != conn && slot.trusted_device && !trusted_device) return false;
    slot = Entry{conn, family_id, trusted_device};
  }
  if (old && old != conn) old->SendAndClose(R"({"type":"replaced"})");
  return true;
}

void WsHub::Unregister(const std::string& account_id, const std::string& device_id,
                       const LiveConnection* conn) {
  Unregister(Key(account_id, device_id), conn);
}

void WsHub::Unregister(const std::string& key, const LiveConnection* conn) {
  std::lock_guard lock(mutex_);
  auto it = live_.find(key);
  if (it == live_.end()) return;
  auto current = it->second.conn.lock();
  if (!current || current.get() == conn) live_.erase(it);
}

void WsHub::Notify(const std::string& account_id, const std::string& device_id,
                   const Notification& notification) {
  const auto* signed_out = std::get_if<SignedOut>(&notification);
  std::shared_ptr<LiveConnection> conn;
  {
    std::lock_guard lock(mutex_);
    auto it = live_.find(Key(account_id, device_id));
    if (it == live_.end()) return;
    const Entry& e = it->second;
    // A session that never proved the device gets no codes; a signed_out of
    // another session leaves this one open.
    if (!signed_out && !e.trusted_device) return;
    if (signed_out && !signed_out->family_id.empty() && signed_out->family_id != e.family_id)
      return;
    conn = e.conn.lock();
  }
  if (!conn) return;
  std::string text = wire::NotificationText(notification);
  if (signed_out) {
    conn->SendAndClose(std::move(text));
    Unregister(account_id, device_id, conn.get());
  } else {
    conn->Send(std::move(text));
  }
}

size_t WsHub::Connected() const {
  std::lock_guard lock(mutex_);
  size_t n = 0;
  for (const auto& [k, e] : live_) n += e.conn.expired() ? 0 : 1;
  return n;
}

bool WsHub::ReceivesCodes(const std::string& account_id, const std::string& device_id) const {
  std::lock_guard lock(mutex_);
  auto it = live_.find(Key(account_id, device_id));
  return it != live_.end() && it->second.trusted_device && !it->second.conn.expired();
}

std::vector<std::pair<std::string, std::string>> WsHub::LiveDevices() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& s : LiveSessions()) out.emplace_back(std::move(s.account_id), std::move(s.device_id));
  return out;
}

std::vector<LiveSession> WsHub::LiveSessions() const {
  std::lock_guard lock(mutex_);
  std::vector<LiveSession> out;
  for (const auto& [k, e] : live_) {
    if (e.conn.expired()) continue;
    auto slash = k.find('/');
    out.push_back({k.substr(0, slash), k.substr(slash + 1), e.family_id});
  }
  return out;
}

}  // namespace twostep::http
