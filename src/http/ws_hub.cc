#include "http/ws_hub.h"

#include <vector>

#include "http/notification_json.h"

namespace twostep::http {

void WsHub::Register(const std::string& account_id, const std::string& device_id,
                     const std::shared_ptr<LiveConnection>& conn) {
  std::shared_ptr<LiveConnection> old;
  {
    std::lock_guard lock(mutex_);
    auto& slot = live_[Key(account_id, device_id)];
    old = slot.lock();
    slot = conn;
  }
  if (old && old != conn) old->SendAndClose(R"({"type":"replaced"})");
}

void WsHub::Unregister(const std::string& account_id, const std::string& device_id,
                       const LiveConnection* conn) {
  std::lock_guard lock(mutex_);
  auto it = live_.find(Key(account_id, device_id));
  if (it == live_.end()) return;
  auto current = it->second.lock();
  if (!current || current.get() == conn) live_.erase(it);
}

void WsHub::Notify(const std::string& account_id, const std::string& device_id,
                   const Notification& notification) {
  std::shared_ptr<LiveConnection> conn;
  {
    std::lock_guard lock(mutex_);
    auto it = live_.find(Key(account_id, device_id));
    if (it != live_.end()) conn = it->second.lock();
  }
  if (!conn) return;
  std::string text = NotificationText(notification);
  if (notification.type == Notification::Type::kSignedOut) {
    conn->SendAndClose(std::move(text));
    Unregister(account_id, device_id, conn.get());
  } else {
    conn->Send(std::move(text));
  }
}

size_t WsHub::Connected() const {
  std::lock_guard lock(mutex_);
  size_t n = 0;
  for (const auto& [k, w] : live_) n += w.expired() ? 0 : 1;
  return n;
}

std::vector<std::pair<std::string, std::string>> WsHub::LiveDevices() const {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [k, w] : live_) {
    if (w.expired()) continue;
    auto slash = k.find('/');
    out.emplace_back(k.substr(0, slash), k.substr(slash + 1));
  }
  return out;
}

void WsHub::CloseAll() {
  std::vector<std::shared_ptr<LiveConnection>> all;
  {
    std::lock_guard lock(mutex_);
    for (auto& [k, w] : live_)
      if (auto c = w.lock()) all.push_back(std::move(c));
    live_.clear();
  }
  for (auto& c : all) c->SendAndClose("");
}

}  // namespace twostep::http
