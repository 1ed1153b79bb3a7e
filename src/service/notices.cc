#include "service/notices.h"

namespace twostep::service {

void AnnounceResolved(UnitOfWork& work, const DeviceTrust& trust, const domain::Challenge& c,
                      ResolvedOutcome outcome) {
  if (c.purpose != domain::ChallengePurpose::kSignIn) return;
  for (const auto& d : trust.LiveTrusted(work.tx(), c.account_id, work.now())) {
    if (d.description.id == c.requester.id) continue;
    work.Notify(c.account_id, d.description.id, ChallengeResolved{c.id, outcome});
  }
}

void AnnounceSignedOut(UnitOfWork& work, const std::string& account_id,
                       const std::vector<std::string>& devices, SignOutReason reason,
                       const std::string& family_id) {
  for (const auto& d : devices) {
    work.Notify(account_id, d, SignedOut{reason, family_id});
  }
}

}  // namespace twostep::service
