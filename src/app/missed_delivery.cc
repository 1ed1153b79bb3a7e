#include "app/missed_delivery.h"

#include <map>
#include <set>

#include <spdlog/spdlog.h>

namespace twostep::app {

void DeliverMissed(http::WsHub& hub, service::MissedNotifications& missed, Timestamp since) {
  std::map<std::string, std::set<std::string>> devices_of;  // account id -> device ids
  for (const auto& [account_id, device_id] : hub.LiveDevices())
    devices_of[account_id].insert(device_id);
  if (devices_of.empty()) return;
  std::vector<std::string> accounts;
  for (const auto& entry : devices_of) accounts.push_back(entry.first);
  size_t delivered = 0;
  for (const auto& m : missed.Since(accounts, since)) {
    for (const auto& device_id : devices_of[m.account_id]) {
      if (device_id == m.except_device_id) continue;
      hub.Notify(m.account_id, device_id, m.notification);
      ++delivered;
    }
  }
  spdlog::info(R"({{"event":"missed_notifications_delivered","accounts":{},"messages":{}}})",
               accounts.size(), delivered);
}

}  // namespace twostep::app
