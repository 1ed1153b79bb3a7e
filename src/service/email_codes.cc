#include "service/email_codes.h"

#include "domain/digests.h"
#include "domain/email_address.h"
#include "domain/mail_templates.h"
#include "domain/random_values.h"
#include "service/throttle.h"

namespace twostep::service {

namespace {
domain::CodePurpose MailPurpose(domain::ChallengePurpose p) {
  switch (p) {
    case domain::ChallengePurpose::kRegistration: return domain::CodePurpose::kRegistration;
    case domain::ChallengePurpose::kEnableTwoStep: return domain::CodePurpose::kEnableTwoStep;
    case domain::ChallengePurpose::kSignIn: return domain::CodePurpose::kSignIn;
    case domain::ChallengePurpose::kPasswordReset: return domain::CodePurpose::kPasswordReset;
  }
  return domain::CodePurpose::kSignIn;
}
}  // namespace

Result<domain::Challenge> StartEmailChallenge(Transaction& tx, const ServiceEnv& env,
                                              const CodeRequest& request, Timestamp now) {
  const std::string key =
      domain::EmailCodesKey(std::string(domain::PurposeName(request.purpose)), request.email);
  if (auto limited = CheckLimit(tx, key, env.policy.email_codes_per_purpose, now); !limited)
    return std::move(limited).error();
  tx.RecordHit(key, now);

  const auto& policy = env.policy.challenge;
  domain::Challenge c;
  c.id = domain::GenerateId(env.random, "chl");
  c.account_id = request.account_id;
  c.purpose = request.purpose;
  c.method = domain::ChallengeMethod::kEmail;
  c.state = domain::ChallengeState::kPending;
  c.attempts_left = policy.max_attempts;
  c.sends = 1;
  c.created_at = now;
  c.last_sent_at = now;
  c.expires_at = now + policy.ttl;
  c.requester = request.device;
  c.requester_ip = request.ip;
  c.payload = request.payload;
  c.password_hash = request.password_hash;
  Secret code = domain::GenerateCode(env.random);
  c.code_hash = domain::HashCode(env.keys.code_hmac_key, c.id, code);
  tx.InsertChallenge(c);
  if (!request.account_id.empty() && MayMail(tx, env, request.email, now)) {
    int minutes = static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(policy.ttl).count());
    tx.EnqueueMail(domain::VerificationCodeMail(request.email, code.Reveal(),
                                                MailPurpose(request.purpose), minutes),
                   now);
    env.counters.Increment("codes_sent", "email");
  }
  return c;
}

bool MayMail(Transaction& tx, const ServiceEnv& env, const std::string& email, Timestamp now) {
  const std::string key = domain::MailsToMailboxKey(domain::MailboxOf(email));
  if (!CheckLimit(tx, key, env.policy.mails_per_mailbox, now)) {
    env.counters.Increment("mails_suppressed", "mailbox_limit");
    return false;
  }
  tx.RecordHit(key, now);
  return true;
}

void EndOpenRegistrations(Transaction& tx, const std::string& account_id, Timestamp now) {
  for (auto& c : tx.OpenChallenges(account_id, domain::ChallengePurpose::kRegistration, now)) {
    c.state = domain::ChallengeState::kExpired;
    c.code_hash.clear();
    c.sealed_code.clear();
    c.password_hash.clear();
    tx.UpdateChallenge(c);
  }
}

Result<void> CheckCodeFormat(const Secret& code) {
  bool ok = code.size() == 6;
  for (char ch : code.Reveal()) ok = ok && ch >= '0' && ch <= '9';
  if (!ok) return Error::InvalidRequest("The code must be 6 digits.");
  return Ok();
}

Result<domain::Challenge> ConsumeCode(Transaction& tx, const ServiceEnv& env,
                                      const std::string& challenge_id,
                                      domain::ChallengePurpose purpose, const Secret& code,
                                      Timestamp now) {
  auto c = tx.LockChallenge(challenge_id);
  if (!c || c->purpose != purpose) return Error::NotFound("No such challenge.");
  // A decoy (no account) never matches, but costs an attempt like a real one.
  bool matches = !c->account_id.empty() &&
                 domain::CodeMatches(env.keys.code_hmac_key, c->id, code, c->code_hash);
  auto r = domain::ApplyCodeAttempt(*c, matches, now);
  if (r.updated.state != domain::ChallengeState::kPending) {
    // An ended challenge keeps no password hash (the account took it or
    // never will); the caller reads it from the returned value.
    r.updated.password_hash.clear();
    r.updated.sealed_code.clear();
  }
  if (r.updated.state != c->state || r.updated.attempts_left != c->attempts_left)
    tx.UpdateChallenge(r.updated);
  if (r.outcome == domain::AttemptOutcome::kVerified) r.updated.password_hash = c->password_hash;
  switch (r.outcome) {
    case domain::AttemptOutcome::kVerified:
      return r.updated;
    case domain::AttemptOutcome::kWrongCode:
    case domain::AttemptOutcome::kExhausted: {
      Error e{ErrorCode::kInvalidCode, "The code is not correct."};
      e.attempts_left = r.updated.attempts_left;
      return e;
    }
    case domain::AttemptOutcome::kDenied:
      return Error{ErrorCode::kChallengeDenied,
                   "This sign-in was denied from a trusted device."};
    case domain::AttemptOutcome::kExpired:
      break;
  }
  return Error{ErrorCode::kChallengeExpired,
               "This code request has expired or was used. Start again."};
}

}  // namespace twostep::service
