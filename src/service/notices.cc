#include "service/notices.h"

#include <spdlog/spdlog.h>

namespace twostep::service {

void SendAll(const ServiceEnv& env, const Notices& notices) {
  for (const auto& n : notices) {
    try {
      env.notifier.Notify(n.account_id, n.device_id, n.notification);
    } catch (const std::exception& e) {
      spdlog::warn("notification to a device failed: {}", e.what());
    }
  }
}

std::vector<domain::DeviceRecord> LiveTrustedDevices(Transaction& tx, const ServiceEnv& env,
                                                     const std::string& account_id, Timestamp now) {
  auto all = tx.ListTrustedDevices(account_id);
  std::erase_if(all, [&](const domain::DeviceRecord& d) {
    return d.last_seen_at + env.policy.trusted_device_idle <= now;
  });
  return all;
}

void AddResolved(Notices& out, Transaction& tx, const ServiceEnv& env, const domain::Challenge& c,
                 std::string_view outcome, Timestamp now) {
  if (c.purpose != domain::ChallengePurpose::kSignIn) return;
  for (const auto& d : LiveTrustedDevices(tx, env, c.account_id, now)) {
    Notification n;
    n.type = Notification::Type::kChallengeResolved;
    n.challenge_id = c.id;
    n.outcome = std::string(outcome);
    out.push_back({c.account_id, d.description.id, std::move(n)});
  }
}

}  // namespace twostep::service
