#include "service/verify_sign_in.h"

#include "domain/account.h"
#include "domain/digests.h"
#include "domain/mail_templates.h"
#include "service/notices.h"

namespace twostep::service {

void VerifySignIn::TrackWrongCodes(UnitOfWork& work, const std::string& account_id, bool wrong) {
  auto account = work->FindAccountById(account_id);
  if (!account) return;
  if (!wrong) {
    if (domain::ClearWrongCodes(*account)) work->UpdateAccount(*account);
    return;
  }
  if (domain::ApplyWrongCode(*account, work.now(), work.policy().wrong_codes) ==
      domain::WrongCodeEffect::kAlertOwner)
    work.Mail(domain::TooManyWrongCodesMail(domain::MailLocaleOf(*account), account->email, account->wrong_code_streak));
  work->UpdateAccount(*account);
}

void VerifySignIn::Failed(UnitOfWork& work, const domain::Challenge& before, const Error& error) {
  if (before.purpose != domain::ChallengePurpose::kSignIn || before.account_id.empty()) return;
  if (error.code == ErrorCode::kInvalidCode) {
    TrackWrongCodes(work, before.account_id, true);
    work->AppendLoginEvent(LoginEvent::OfChallenge(before, work.now(),
                                                   domain::LoginEventKind::kCodeFailed,
                                                   domain::LoginOutcome::kInvalidCode));
    if (error.attempts_left == 0) AnnounceResolved(work, trust_, before, ResolvedOutcome::kExhausted);
  } else if (error.code == ErrorCode::kChallengeExpired &&
             before.state == domain::ChallengeState::kPending) {
    AnnounceResolved(work, trust_, before, ResolvedOutcome::kExpired);
  }
}

Result<IssuedSession> VerifySignIn::Run(const std::string& challenge_id, const Secret& code,
                                        bool trust_device) {
  if (auto format = CheckCodeFormat(code); !format) return std::move(format).error();
  auto work = works_.Begin();
  auto before = work->LockChallenge(challenge_id);
  auto c = codes_.Consume(work, challenge_id, domain::ChallengePurpose::kSignIn, code);
  if (!c) {
    if (before) Failed(work, *before, c.error());
    work.Commit();  // the spent attempt stays spent
    return std::move(c).error();
  }
  auto account = work->FindAccountById(c->account_id);
  if (!account) return Error::NotFound("No such challenge.");
  TrackWrongCodes(work, account->id, false);
  std::optional<Secret> device_secret;
  trust_.AlertIfNew(work, *account, c->requester, c->requester_ip);
  if (trust_device) {
    device_secret = trust_.Trust(work, account->id, c->requester, c->requester_ip);
  } else {
    TouchDevice(work, account->id, c->requester, c->requester_ip);
  }
  auto session = issuer_.Issue(work, *account, c->requester.id,
                               device_secret ? domain::HashToken(device_secret->Reveal()) : "");
  session.device_secret = std::move(device_secret);
  auto event = LoginEvent::OfChallenge(*c, work.now(), domain::LoginEventKind::kSignIn,
                                       domain::LoginOutcome::kSuccess);
  event.trusted = trust_device;
  work->AppendLoginEvent(event);
  AnnounceResolved(work, trust_, *c, ResolvedOutcome::kVerified);
  work.Count("logins", "success");
  work.Commit();
  return session;
}

}  // namespace twostep::service
