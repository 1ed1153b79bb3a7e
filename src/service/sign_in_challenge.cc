#include "service/sign_in_challenge.h"

#include "domain/email_address.h"
#include "domain/rate_limit.h"
#include "service/email_codes.h"
#include "service/session_issuer.h"
#include "service/throttle.h"
#include "service/trust.h"

namespace twostep::service {

ChallengeView ViewOf(const domain::Challenge& c, const std::string& email, Timestamp now,
                     const domain::ChallengePolicy& policy) {
  ChallengeView v;
  v.challenge_id = c.id;
  v.method = std::string(domain::MethodName(c.method));
  v.methods = {"email"};
  v.destination = domain::MaskEmail(email);
  v.expires_in = c.expires_at > now ? std::chrono::ceil<seconds>(c.expires_at - now) : seconds(0);
  v.resend_in = domain::ResendIn(c, now, policy);
  return v;
}

Result<ChallengeView> StartSignInChallenge(Transaction& tx, const ServiceEnv& env,
                                           const domain::Account& account,
                                           const domain::DeviceDescription& device,
                                           const std::string& ip, Timestamp now) {
  const auto key = domain::SignInChallengesKey(account.id);
  if (auto r = CheckLimit(tx, key, env.policy.sign_in_challenges, now); !r)
    return std::move(r).error();
  tx.RecordHit(key, now);
  CodeRequest code{domain::ChallengePurpose::kSignIn, account.email, account.id, device, ip, ""};
  auto c = StartEmailChallenge(tx, env, code, now);
  if (!c) return std::move(c).error();
  LoginEvent e;
  e.account_id = account.id;
  e.at = now;
  e.event = "challenge_sent";
  e.outcome = "sent";
  e.device = device;
  e.ip = ip;
  e.method = "email";
  tx.AppendLoginEvent(e);
  return ViewOf(*c, account.email, now, env.policy.challenge);
}

Result<IssuedSession> VerifySignIn::Run(const std::string& challenge_id, const Secret& code,
                                        bool trust_device) {
  if (auto format = CheckCodeFormat(code); !format) return std::move(format).error();
  const Timestamp now = env_.clock.Now();
  auto tx = env_.store.Begin();
  auto c = ConsumeCode(*tx, env_, challenge_id, domain::ChallengePurpose::kSignIn, code, now);
  LoginEvent e;
  e.at = now;
  e.event = "code_verify";
  e.method = "email";
  if (!c) {
    if (auto peek = tx->LockChallenge(challenge_id); peek && !peek->account_id.empty()) {
      e.account_id = peek->account_id;
      e.device = peek->requester;
      e.ip = peek->requester_ip;
      e.outcome = std::string(ErrorCodeName(c.error().code));
      tx->AppendLoginEvent(e);
    }
    tx->Commit();  // the spent attempt stays spent
    return std::move(c).error();
  }
  auto account = tx->FindAccountById(c->account_id);
  if (!account) return Error::NotFound("No such challenge.");
  std::optional<Secret> device_secret;
  if (trust_device) {
    device_secret = TrustDevice(*tx, env_, account->id, c->requester, c->requester_ip, now);
  } else {
    TouchDevice(*tx, account->id, c->requester, c->requester_ip, now);
  }
  auto session = IssueSession(*tx, env_, *account, c->requester.id, now);
  session.device_secret = std::move(device_secret);
  e.account_id = account->id;
  e.device = c->requester;
  e.ip = c->requester_ip;
  e.outcome = "success";
  e.trusted = trust_device;
  tx->AppendLoginEvent(e);
  tx->Commit();
  env_.counters.Increment("logins", "success");
  return session;
}

}  // namespace twostep::service
