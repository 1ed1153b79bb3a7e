#include "service/sign_in_challenge.h"

#include "domain/code_seal.h"
#include "domain/digests.h"
#include "domain/email_address.h"
#include "domain/mail_templates.h"
#include "domain/random_values.h"
#include "domain/rate_limit.h"
#include "service/email_codes.h"
#include "service/notices.h"
#include "service/session_issuer.h"
#include "service/throttle.h"
#include "service/trust.h"

namespace twostep::service {

namespace {


// One wrong code against the account (SPEC §2), or the streak cleared.
void TrackWrongCodes(UnitOfWork& work, const ServiceEnv& env, const std::string& account_id,
                     bool wrong) {
  auto account = work->FindAccountById(account_id);
  if (!account) return;
  if (!wrong) {
    if (domain::ClearWrongCodes(*account)) work->UpdateAccount(*account);
    return;
  }
  if (domain::ApplyWrongCode(*account, work.now(), env.policy.wrong_codes) ==
      domain::WrongCodeEffect::kAlertOwner)
    work.Mail(domain::TooManyWrongCodesMail(account->email, account->wrong_code_streak));
  work->UpdateAccount(*account);
}

}  // namespace

ChallengeView ViewOf(const ServiceEnv& env, const domain::Challenge& c, const std::string& email,
                     Timestamp now, size_t live_trusted_devices) {
  ChallengeView v;
  v.challenge_id = c.id;
  v.method = std::string(domain::MethodName(c.method));
  const size_t trusted =
      c.purpose == domain::ChallengePurpose::kSignIn ? live_trusted_devices : 0;
  if (trusted > 0) v.methods.push_back("app");
  v.methods.push_back("email");
  v.destination = c.method == domain::ChallengeMethod::kApp
                      ? std::to_string(trusted) + (trusted == 1 ? " trusted device" : " trusted devices")
                      : domain::MaskEmail(email);
  v.expires_in = c.expires_at > now ? std::chrono::ceil<seconds>(c.expires_at - now) : seconds(0);
  v.resend_in = domain::ResendIn(c, now, env.policy.challenge);
  return v;
}

void SendNewCode(UnitOfWork& work, const ServiceEnv& env, domain::Challenge& c,
                 const domain::Account& account, domain::ChallengeMethod method,
                 const std::vector<domain::DeviceRecord>& live_trusted) {
  const Timestamp now = work.now();
  Secret code = domain::GenerateCode(env.random);
  c.method = method;
  c.code_hash = domain::HashCode(env.keys.code_hmac_key, c.id, code);
  if (method == domain::ChallengeMethod::kApp) {
    c.sealed_code = domain::SealCode(env.keys.seal_key, c.id, code, env.random);
    for (const auto& d : live_trusted) {
      Notification n;
      n.type = Notification::Type::kVerificationCode;
      n.challenge_id = c.id;
      n.code = code;
      n.expires_in = std::chrono::ceil<seconds>(c.expires_at - now);
      n.requested_at = c.created_at;
      n.requester = c.requester;
      n.requester_ip = c.requester_ip;
      n.requester_location = env.geo.Locate(c.requester_ip);
      work.Notify(account.id, d.description.id, std::move(n));
    }
    work.Count("codes_sent", "app");
    return;
  }
  c.sealed_code.clear();
  // Sign-in codes and their resends count against the mailbox too; past
  // the limit the code exists but is not mailed (SPEC §2).
  if (!MayMail(work, env, account.email)) return;
  int minutes = static_cast<int>(
      std::chrono::duration_cast<std::chrono::minutes>(env.policy.challenge.ttl).count());
  auto mail = domain::VerificationCodeMail(account.email, code.Reveal(),
                                           domain::CodePurpose::kSignIn, minutes);
  mail.challenge_id = c.id;
  work.Mail(mail);
  work.Count("codes_sent", "email");
}

Result<ChallengeView> StartSignInChallenge(UnitOfWork& work, const ServiceEnv& env,
                                           const domain::Account& account,
                                           const domain::DeviceDescription& device,
                                           const std::string& ip) {
  const Timestamp now = work.now();
  if (account.challenges_blocked_until && *account.challenges_blocked_until > now)
    return Error::RateLimited(std::chrono::ceil<seconds>(*account.challenges_blocked_until - now),
                              "Too many wrong codes. Try again later.");
  const auto key = domain::SignInChallengesKey(account.id);
  if (auto r = TakeSlot(work.tx(), key, env.policy.sign_in_challenges, now); !r)
    return std::move(r).error();
  const auto trusted = LiveTrustedDevices(work.tx(), env, account.id, now);
  const auto method = trusted.empty() ? domain::ChallengeMethod::kEmail : domain::ChallengeMethod::kApp;
  auto c = domain::NewChallenge(domain::GenerateId(env.random, "chl"), account.id,
                                domain::ChallengePurpose::kSignIn, method, now, env.policy.challenge,
                                device, ip);
  c.email = account.email;
  SendNewCode(work, env, c, account, method, trusted);
  work->InsertChallenge(c);
  work->AppendLoginEvent(LoginEvent::OfChallenge(c, now, domain::LoginEventKind::kChallengeSent, domain::LoginOutcome::kSent));
  return ViewOf(env, c, account.email, now, trusted.size());
}

void VerifySignIn::Failed(UnitOfWork& work, const domain::Challenge& before, const Error& error) {
  if (before.purpose != domain::ChallengePurpose::kSignIn || before.account_id.empty()) return;
  if (error.code == ErrorCode::kInvalidCode) {
    TrackWrongCodes(work, env_, before.account_id, true);
    work->AppendLoginEvent(LoginEvent::OfChallenge(before, work.now(), domain::LoginEventKind::kCodeFailed,
                                                     domain::LoginOutcome::kInvalidCode));
    if (error.attempts_left == 0) AnnounceResolved(work, env_, before, "exhausted");
  } else if (error.code == ErrorCode::kChallengeExpired &&
             before.state == domain::ChallengeState::kPending) {
    AnnounceResolved(work, env_, before, "expired");
  }
}

Result<IssuedSession> VerifySignIn::Run(const std::string& challenge_id, const Secret& code,
                                        bool trust_device) {
  if (auto format = CheckCodeFormat(code); !format) return std::move(format).error();
  auto work = BeginWork(env_);
  auto before = work->LockChallenge(challenge_id);
  auto c = ConsumeCode(work, env_, challenge_id, domain::ChallengePurpose::kSignIn, code);
  if (!c) {
    if (before) Failed(work, *before, c.error());
    work.Commit();  // the spent attempt stays spent
    return std::move(c).error();
  }
  auto account = work->FindAccountById(c->account_id);
  if (!account) return Error::NotFound("No such challenge.");
  TrackWrongCodes(work, env_, account->id, false);
  std::optional<Secret> device_secret;
  AlertIfNewDevice(work, env_, *account, c->requester, c->requester_ip);
  if (trust_device) {
    device_secret = TrustDevice(work, env_, account->id, c->requester, c->requester_ip);
  } else {
    TouchDevice(work, account->id, c->requester, c->requester_ip);
  }
  auto session = IssueSession(work, env_, *account, c->requester.id,
                              device_secret ? domain::HashToken(device_secret->Reveal()) : "");
  session.device_secret = std::move(device_secret);
  auto event = LoginEvent::OfChallenge(*c, work.now(), domain::LoginEventKind::kSignIn,
                                       domain::LoginOutcome::kSuccess);
  event.trusted = trust_device;
  work->AppendLoginEvent(event);
  AnnounceResolved(work, env_, *c, "verified");
  work.Count("logins", "success");
  work.Commit();
  return session;
}

}  // namespace twostep::service
