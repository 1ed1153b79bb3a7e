#include "service/sign_in_challenge.h"

#include "domain/code_seal.h"
#include "domain/digests.h"
#include "domain/email_address.h"
#include "domain/mail_templates.h"
#include "domain/random_values.h"
#include "domain/rate_limit.h"
#include "service/email_codes.h"
#include "service/session_issuer.h"
#include "service/throttle.h"
#include "service/trust.h"

namespace twostep::service {

namespace {

LoginEvent ChallengeEvent(const domain::Challenge& c, Timestamp now, std::string event,
                          std::string outcome) {
  LoginEvent e;
  e.account_id = c.account_id;
  e.at = now;
  e.event = std::move(event);
  e.outcome = std::move(outcome);
  e.device = c.requester;
  e.ip = c.requester_ip;
  e.method = std::string(domain::MethodName(c.method));
  return e;
}

// Counts one wrong code against the account (alert at 20 in a row, block
// new challenges at 50), or clears the streak after a success.
void TrackWrongCodes(Transaction& tx, const ServiceEnv& env, const std::string& account_id,
                     bool wrong, Timestamp now) {
  auto account = tx.FindAccountById(account_id);
  if (!account) return;
  if (!wrong) {
    if (account->wrong_code_streak == 0) return;
    account->wrong_code_streak = 0;
  } else {
    ++account->wrong_code_streak;
    if (account->wrong_code_streak == env.policy.wrong_code_alert) {
      tx.EnqueueMail(domain::TooManyWrongCodesMail(account->email, account->wrong_code_streak), now);
      env.mail_queued();  // harmless before commit: the sender re-reads the outbox
    }
    if (account->wrong_code_streak >= env.policy.wrong_code_block)
      account->challenges_blocked_until = now + env.policy.wrong_code_block_for;
  }
  tx.UpdateAccount(*account);
}

}  // namespace

ChallengeView ViewOf(Transaction& tx, const ServiceEnv& env, const domain::Challenge& c,
                     const std::string& email, Timestamp now) {
  ChallengeView v;
  v.challenge_id = c.id;
  v.method = std::string(domain::MethodName(c.method));
  size_t trusted = c.purpose == domain::ChallengePurpose::kSignIn
                       ? LiveTrustedDevices(tx, env, c.account_id, now).size()
                       : 0;
  if (trusted > 0) v.methods.push_back("app");
  v.methods.push_back("email");
  v.destination = c.method == domain::ChallengeMethod::kApp
                      ? std::to_string(trusted) + (trusted == 1 ? " trusted device" : " trusted devices")
                      : domain::MaskEmail(email);
  v.expires_in = c.expires_at > now ? std::chrono::ceil<seconds>(c.expires_at - now) : seconds(0);
  v.resend_in = domain::ResendIn(c, now, env.policy.challenge);
  return v;
}

void SendNewCode(Transaction& tx, const ServiceEnv& env, domain::Challenge& c,
                 const domain::Account& account, domain::ChallengeMethod method, Timestamp now,
                 Notices& notices) {
  Secret code = domain::GenerateCode(env.random);
  c.method = method;
  c.code_hash = domain::HashCode(env.keys.code_hmac_key, c.id, code);
  c.last_sent_at = now;
  if (method == domain::ChallengeMethod::kApp) {
    c.sealed_code = domain::SealCode(env.keys.seal_key, c.id, code, env.random);
    for (const auto& d : LiveTrustedDevices(tx, env, account.id, now)) {
      Notification n;
      n.type = Notification::Type::kVerificationCode;
      n.challenge_id = c.id;
      n.code = code;
      n.expires_in = std::chrono::ceil<seconds>(c.expires_at - now);
      n.requested_at = c.created_at;
      n.requester = c.requester;
      n.requester_ip = c.requester_ip;
      n.requester_location = env.geo.Locate(c.requester_ip);
      notices.push_back({account.id, d.description.id, std::move(n)});
    }
    env.counters.Increment("codes_sent", "app");
  } else {
    c.sealed_code.clear();
    // Sign-in codes and their resends count against the mailbox too; past
    // the limit the code exists but is not mailed (SPEC §2).
    if (!MayMail(tx, env, account.email, now)) return;
    int minutes = static_cast<int>(
        std::chrono::duration_cast<std::chrono::minutes>(env.policy.challenge.ttl).count());
    tx.EnqueueMail(domain::VerificationCodeMail(account.email, code.Reveal(),
                                                domain::CodePurpose::kSignIn, minutes),
                   now);
    env.counters.Increment("codes_sent", "email");
  }
}

Result<StartedChallenge> StartSignInChallenge(Transaction& tx, const ServiceEnv& env,
                                              const domain::Account& account,
                                              const domain::DeviceDescription& device,
                                              const std::string& ip, Timestamp now) {
  if (account.challenges_blocked_until && *account.challenges_blocked_until > now)
    return Error::RateLimited(std::chrono::ceil<seconds>(*account.challenges_blocked_until - now),
                              "Too many wrong codes. Try again later.");
  const auto key = domain::SignInChallengesKey(account.id);
  if (auto r = CheckLimit(tx, key, env.policy.sign_in_challenges, now); !r)
    return std::move(r).error();
  tx.RecordHit(key, now);

  domain::Challenge c;
  c.id = domain::GenerateId(env.random, "chl");
  c.account_id = account.id;
  c.purpose = domain::ChallengePurpose::kSignIn;
  c.state = domain::ChallengeState::kPending;
  c.attempts_left = env.policy.challenge.max_attempts;
  c.sends = 1;
  c.created_at = now;
  c.expires_at = now + env.policy.challenge.ttl;
  c.requester = device;
  c.requester_ip = ip;
  StartedChallenge started;
  bool has_trusted = !LiveTrustedDevices(tx, env, account.id, now).empty();
  SendNewCode(tx, env, c, account,
              has_trusted ? domain::ChallengeMethod::kApp : domain::ChallengeMethod::kEmail, now,
              started.notices);
  tx.InsertChallenge(c);
  tx.AppendLoginEvent(ChallengeEvent(c, now, "challenge_sent", "sent"));
  started.view = ViewOf(tx, env, c, account.email, now);
  return started;
}

Result<IssuedSession> VerifySignIn::Run(const std::string& challenge_id, const Secret& code,
                                        bool trust_device) {
  if (auto format = CheckCodeFormat(code); !format) return std::move(format).error();
  const Timestamp now = env_.clock.Now();
  auto tx = env_.store.Begin();
  auto before = tx->LockChallenge(challenge_id);
  auto c = ConsumeCode(*tx, env_, challenge_id, domain::ChallengePurpose::kSignIn, code, now);
  Notices notices;
  if (!c) {
    if (before && before->purpose == domain::ChallengePurpose::kSignIn &&
        !before->account_id.empty()) {
      const auto code_err = c.error().code;
      if (code_err == ErrorCode::kInvalidCode) {
        TrackWrongCodes(*tx, env_, before->account_id, true, now);
        tx->AppendLoginEvent(ChallengeEvent(*before, now, "code_failed", "invalid_code"));
        if (c.error().attempts_left == 0) AddResolved(notices, *tx, env_, *before, "exhausted", now);
      } else if (code_err == ErrorCode::kChallengeExpired &&
                 before->state == domain::ChallengeState::kPending) {
        AddResolved(notices, *tx, env_, *before, "expired", now);
      }
    }
    tx->Commit();  // the spent attempt stays spent
    SendAll(env_, notices);
    return std::move(c).error();
  }
  auto account = tx->FindAccountById(c->account_id);
  if (!account) return Error::NotFound("No such challenge.");
  TrackWrongCodes(*tx, env_, account->id, false, now);
  std::optional<Secret> device_secret;
  AlertIfNewDevice(*tx, env_, *account, c->requester, c->requester_ip, now);
  if (trust_device) {
    device_secret = TrustDevice(*tx, env_, account->id, c->requester, c->requester_ip, now);
  } else {
    TouchDevice(*tx, account->id, c->requester, c->requester_ip, now);
  }
  auto session = IssueSession(*tx, env_, *account, c->requester.id, now,
                              device_secret ? domain::HashToken(device_secret->Reveal()) : "");
  session.device_secret = std::move(device_secret);
  auto event = ChallengeEvent(*c, now, "sign_in", "success");
  event.trusted = trust_device;
  tx->AppendLoginEvent(event);
  AddResolved(notices, *tx, env_, *c, "verified", now);
  tx->Commit();
  env_.mail_queued();
  SendAll(env_, notices);
  env_.counters.Increment("logins", "success");
  return session;
}

}  // namespace twostep::service
