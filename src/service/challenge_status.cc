#include "service/challenge_status.h"

#include "service/sign_in_challenge.h"

namespace twostep::service {

Result<ChallengeStatusView> ChallengeStatus::Read(const std::string& challenge_id) const {
  auto snapshot = works_.Read();
  const Timestamp now = snapshot.now();
  auto c = snapshot->LockChallenge(challenge_id);  // a plain read in a read transaction
  if (!c || c->purpose != domain::ChallengePurpose::kSignIn || c->account_id.empty())
    return Error::NotFound("No such challenge.");
  auto account = snapshot->FindAccountById(c->account_id);
  if (!account) return Error::NotFound("No such challenge.");
  const auto trusted = trust_.LiveTrusted(snapshot.tx(), account->id, now);
  ChallengeStatusView v;
  const bool open = domain::IsOpen(*c, now);
  v.state = std::string(domain::StateName(
      c->state == domain::ChallengeState::kPending && !open ? domain::ChallengeState::kExpired
                                                            : c->state));
  v.challenge = ViewOf(snapshot.policy().challenge, *c, *account, now, trusted.size());
  if (!open) {
    v.challenge.expires_in = seconds(0);
    v.challenge.resend_in = seconds(0);
  }
  snapshot->Commit();
  return v;
}

}  // namespace twostep::service
