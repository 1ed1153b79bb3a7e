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

Result<domain::Challenge> EmailCodes::Start(UnitOfWork& work, const CodeRequest& request) const {
  const Timestamp now = work.now();
  const std::string key =
      domain::EmailCodesKey(std::string(domain::PurposeName(request.purpose)), request.email);
  if (auto limited = TakeSlot(work.tx(), key, work.policy().email_codes_per_purpose, now); !limited)
    return std::move(limited).error();

  const auto& policy = work.policy().challenge;
  auto c = domain::NewChallenge(domain::GenerateId(random_, "chl"), request.account_id,
                                request.purpose, domain::ChallengeMethod::kEmail, now, policy,
                                request.device, request.ip);
  c.email = request.email;
  c.app = request.app;
  c.password_hash = request.password_hash;
  if (request.purpose == domain::ChallengePurpose::kRegistration) {
    c.locale = request.locale.language;
    c.time_zone = request.locale.time_zone;
  }
  Secret code = domain::GenerateCode(random_);
  const auto keys = keys_.Current();
  c.code_hash = domain::HashCode(keys->code_hmac_key, c.id, code);
  c.key_id = keys->key_id;
  work->InsertChallenge(c);
  if (!request.account_id.empty() && MayMail(work, request.email)) {
    int minutes = static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(policy.ttl).count());
    auto mail = domain::VerificationCodeMail(request.locale, request.email, code.Reveal(),
                                             MailPurpose(request.purpose), minutes);
    mail.challenge_id = c.id;
    work.Mail(mail);
    work.Count("codes_sent", "email");
  }
  return c;
}

bool EmailCodes::MayMail(UnitOfWork& work, const std::string& email) const {
  const std::string key = domain::MailsToMailboxKey(domain::MailboxOf(email));
  if (!TakeSlot(work.tx(), key, work.policy().mails_per_mailbox, work.now())) {
    work.Count("mails_suppressed", "mailbox_limit");
    return false;
  }
  return true;
}

void EndOpenRegistrations(UnitOfWork& work, const std::string& account_id) {
  for (auto& c : work->OpenChallenges(account_id, domain::ChallengePurpose::kRegistration, work.now()))
    work->UpdateChallenge(domain::Supersede(c));
}

Result<void> CheckCodeFormat(const Secret& code) {
  bool ok = code.size() == 6;
  for (char ch : code.Reveal()) ok = ok && ch >= '0' && ch <= '9';
  if (!ok) return Error::InvalidRequest("The code must be 6 digits.");
  return Ok();
}

Result<domain::Challenge> EmailCodes::Consume(UnitOfWork& work, const std::string& challenge_id,
                                             domain::ChallengePurpose purpose,
                                             const Secret& code) const {
  const Timestamp now = work.now();
  auto c = work->LockChallenge(challenge_id);
  if (!c || c->purpose != purpose) return Error::NotFound("No such challenge.");
  // A decoy (no account) never matches, but costs an attempt like a real one.
  // A code made before a key rotation is checked with the pair that made it.
  const auto pair = keys_.Find(work.tx(), c->key_id);
  bool matches = !c->account_id.empty() && pair &&
                 domain::CodeMatches(pair->code_hmac_key, c->id, code, c->code_hash);
  auto r = domain::ApplyCodeAttempt(*c, matches, now);
  if (r.updated.state != domain::ChallengeState::kPending) {
    // An ended challenge keeps no password hash (the account took it or
    // never will); the caller reads it from the returned value.
    r.updated.password_hash.clear();
    r.updated.sealed_code.clear();
  }
  if (r.updated.state != c->state || r.updated.attempts_left != c->attempts_left)
    work->UpdateChallenge(r.updated);
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
