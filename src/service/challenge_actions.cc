#include "service/challenge_actions.h"

#include "domain/mail_templates.h"
#include "service/notices.h"
#include "service/sign_in_challenge.h"
#include "service/trust.h"

namespace twostep::service {

Result<ChallengeView> ChallengeActions::Resend(const std::string& challenge_id,
                                               const std::string& method_name) {
  auto method = domain::ParseMethod(method_name);
  if (!method) return Error::InvalidRequest("method must be \"app\" or \"email\".");
  auto work = works_.Begin();
  const Timestamp now = work.now();
  auto c = work->LockChallenge(challenge_id);
  if (!c || c->purpose != domain::ChallengePurpose::kSignIn || c->account_id.empty())
    return Error::NotFound("No such challenge.");
  auto account = work->FindAccountById(c->account_id);
  if (!account) return Error::NotFound("No such challenge.");
  const auto trusted = trust_.LiveTrusted(work.tx(), account->id, now);
  if (*method == domain::ChallengeMethod::kApp && trusted.empty())
    return Error::InvalidRequest("This account has no trusted device: use \"email\".");
  auto check = domain::CheckResend(*c, *method, now, work.policy().challenge);
  switch (check.decision) {
    case domain::ResendDecision::kClosed:
      return Error{ErrorCode::kChallengeExpired, "This code request has expired. Sign in again."};
    case domain::ResendDecision::kCoolingDown:
    case domain::ResendDecision::kTooManySends:
      return Error::RateLimited(check.retry_after, "Wait before asking for another code.");
    case domain::ResendDecision::kAllowed:
      break;
  }
  const bool moves_to_email =
      c->method == domain::ChallengeMethod::kApp && *method == domain::ChallengeMethod::kEmail;
  domain::MarkSent(*c, *method, now);
  codes_.SendNewCode(work, *c, *account, *method, trusted);
  // The app code on the trusted screens no longer works (U8).
  if (moves_to_email) AnnounceResolved(work, trust_, *c, ResolvedOutcome::kMovedToEmail);
  work->UpdateChallenge(*c);
  work->AppendLoginEvent(LoginEvent::OfChallenge(*c, now, domain::LoginEventKind::kChallengeSent,
                                                 domain::LoginOutcome::kResent));
  auto view = ViewOf(work.policy().challenge, *c, *account, now, trusted.size());
  work.Commit();
  return view;
}

Result<void> ChallengeActions::RequireTrusted(Transaction& tx, const Caller& caller,
                                              Timestamp now) const {
  // The session must have proved the device (its secret), not just name it.
  if (!trust_.ActsAsTrusted(tx, caller, now))
    return Error{ErrorCode::kForbidden, "Only a trusted device can do this."};
  return Ok();
}

Result<void> ChallengeActions::Deny(const Caller& caller, const std::string& challenge_id) {
  auto work = works_.Begin();
  const Timestamp now = work.now();
  if (auto trusted = RequireTrusted(work.tx(), caller, now); !trusted)
    return std::move(trusted).error();
  auto c = work->LockChallenge(challenge_id);
  if (!c || c->purpose != domain::ChallengePurpose::kSignIn || c->account_id != caller.account_id)
    return Error::NotFound("No such challenge.");
  auto denied = domain::Deny(*c, now);
  if (!denied)
    return Error{ErrorCode::kChallengeExpired, "This code request is no longer open."};
  work->UpdateChallenge(*denied);
  if (auto account = work->FindAccountById(c->account_id))
    work.Mail(domain::SignInDeniedMail(domain::MailLocaleOf(*account), account->email));
  work->AppendLoginEvent(LoginEvent::OfChallenge(*c, now, domain::LoginEventKind::kChallengeDenied,
                                                 domain::LoginOutcome::kDenied));
  AnnounceResolved(work, trust_, *denied, ResolvedOutcome::kDenied);
  work.Commit();
  return Ok();
}

Result<std::vector<Notification>> ChallengeActions::Pending(const Secret& access_token) {
  return ReadAs(works_, access_token, [this](ReadSnapshot& snapshot, const Caller& caller)
                                          -> Result<std::vector<Notification>> {
    const Timestamp now = snapshot.now();
    if (auto trusted = RequireTrusted(snapshot.tx(), caller, now); !trusted)
      return std::move(trusted).error();
    std::vector<Notification> out;
    const auto account = snapshot->FindAccountById(caller.account_id);
    const std::string lang = account ? account->locale : "en";
    for (const auto& c :
         snapshot->OpenChallenges(caller.account_id, domain::ChallengePurpose::kSignIn, now))
      if (auto n = codes_.Reissue(snapshot.tx(), c, now, lang)) out.push_back(std::move(*n));
    return out;
  });
}

}  // namespace twostep::service
