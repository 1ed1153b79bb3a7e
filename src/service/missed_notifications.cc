#include "service/missed_notifications.h"

#include "service/code_request.h"

namespace twostep::service {

namespace {

Notification ResolvedOf(const domain::Challenge& c, std::string_view outcome) {
  Notification n;
  n.type = Notification::Type::kChallengeResolved;
  n.challenge_id = c.id;
  n.outcome = std::string(outcome);
  return n;
}

}  // namespace

std::vector<MissedNotifications::Missed> MissedNotifications::Since(
    const std::vector<std::string>& account_ids, Timestamp since) {
  std::vector<Missed> out;
  if (account_ids.empty()) return out;
  auto tx = store_.BeginRead();
  const Timestamp now = clock_.Now();
  for (const auto& account_id : account_ids) {
    for (const auto& c :
         tx->ChallengesAliveAt(account_id, domain::ChallengePurpose::kSignIn, since)) {
      if (domain::IsOpen(c, now)) {
        if (c.last_sent_at < since) continue;  // heard while still listening
        if (auto code = CodeRequestOf(c, keys_, geo_, now))
          out.push_back({account_id, {}, std::move(*code)});
      } else {
        // Ended (or past its expiry while still marked pending).
        auto outcome = c.state == domain::ChallengeState::kPending ? std::string_view("expired")
                                                                   : domain::StateName(c.state);
        out.push_back({account_id, c.requester.id, ResolvedOf(c, outcome)});
      }
    }
  }
  tx->Commit();
  return out;
}

}  // namespace twostep::service
