#include "service/missed_notifications.h"

namespace twostep::service {

namespace {

// The outcome a device is told for a challenge that is no longer open.
ResolvedOutcome OutcomeOf(const domain::Challenge& c) {
  switch (c.state) {
    case domain::ChallengeState::kVerified: return ResolvedOutcome::kVerified;
    case domain::ChallengeState::kDenied: return ResolvedOutcome::kDenied;
    case domain::ChallengeState::kExhausted: return ResolvedOutcome::kExhausted;
    case domain::ChallengeState::kExpired:
    case domain::ChallengeState::kPending:  // past its expiry, still marked pending
      return ResolvedOutcome::kExpired;
  }
  return ResolvedOutcome::kExpired;
}

}  // namespace

std::vector<MissedNotifications::Missed> MissedNotifications::Since(
    const std::vector<std::string>& account_ids, Timestamp since) {
  std::vector<Missed> out;
  if (account_ids.empty()) return out;
  auto tx = store_.BeginRead();
  const Timestamp now = clock_.Now();
  for (const auto& account_id : account_ids) {
    const auto account = tx->FindAccountById(account_id);
    const std::string lang = account ? account->locale : "en";
    for (const auto& c :
         tx->ChallengesAliveAt(account_id, domain::ChallengePurpose::kSignIn, since)) {
      if (domain::IsOpen(c, now)) {
        if (c.last_sent_at < since) continue;  // heard while still listening
        if (auto code = codes_.Reissue(*tx, c, now, lang)) out.push_back({account_id, {}, std::move(*code)});
      } else {
        out.push_back({account_id, c.requester.id, ChallengeResolved{c.id, OutcomeOf(c)}});
      }
    }
  }
  tx->Commit();
  return out;
}

}  // namespace twostep::service
