#include "service/notices.h"

namespace twostep::service {

std::vector<domain::DeviceRecord> LiveTrustedDevices(Transaction& tx, const SecurityPolicy& policy,
                                                     const std::string& account_id, Timestamp now) {
  auto all = tx.ListTrustedDevices(account_id);
  std::erase_if(all, [&](const domain::DeviceRecord& d) {
    return !domain::IsLive(d, now, policy.trusted_device_idle);
  });
  return all;
}

void AnnounceResolved(UnitOfWork& work, const ServiceEnv& env, const domain::Challenge& c,
                      std::string_view outcome) {
  if (c.purpose != domain::ChallengePurpose::kSignIn) return;
  for (const auto& d : LiveTrustedDevices(work.tx(), env, c.account_id, work.now())) {
    if (d.description.id == c.requester.id) continue;
    Notification n;
    n.type = Notification::Type::kChallengeResolved;
    n.challenge_id = c.id;
    n.outcome = std::string(outcome);
    work.Notify(c.account_id, d.description.id, std::move(n));
  }
}

void AnnounceSignedOut(UnitOfWork& work, const std::string& account_id,
                       const std::vector<std::string>& devices, std::string_view reason,
                       const std::string& family_id) {
  for (const auto& d : devices) {
    Notification n;
    n.type = Notification::Type::kSignedOut;
    n.reason = std::string(reason);
    n.family_id = family_id;
    work.Notify(account_id, d, std::move(n));
  }
}

}  // namespace twostep::service
