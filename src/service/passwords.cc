#include "service/passwords.h"

#include "domain/email_address.h"
#include "domain/mail_templates.h"
#include "service/email_codes.h"
#include "service/notices.h"
#include "service/throttle.h"

namespace twostep::service {

namespace {
LoginEvent PasswordEvent(const std::string& account_id, Timestamp now, std::string event,
                         std::string outcome, const std::string& ip) {
  LoginEvent e;
  e.account_id = account_id;
  e.at = now;
  e.event = std::move(event);
  e.outcome = std::move(outcome);
  e.ip = ip;
  e.method = "password";
  return e;
}
}  // namespace

void Passwords::SignedOut(const std::string& account_id, const std::vector<std::string>& devices) {
  Notices notices;
  for (const auto& d : devices) {
    Notification n;
    n.type = Notification::Type::kSignedOut;
    n.reason = "password_changed";
    notices.push_back({account_id, d, std::move(n)});
  }
  SendAll(env_, notices);
}

Result<void> Passwords::Change(const Caller& caller, const ChangePasswordRequest& request) {
  auto current = domain::NormalizePassword(request.current_password);
  auto fresh = domain::NormalizePassword(request.new_password);
  if (!fresh) return std::move(fresh).error();

  std::optional<domain::Account> account;
  {
    auto tx = env_.store.Begin();
    account = tx->FindAccountById(caller.account_id);
    if (!account) return Error::Unauthorized();
    auto limited = CheckLimit(*tx, domain::PasswordFailuresByAccountKey(account->email),
                              env_.policy.password_failures_per_account, env_.clock.Now());
    tx->Commit();
    if (!limited) return std::move(limited).error();
  }
  if (!current || !env_.hasher.Verify(account->password_hash, *current)) {
    const Timestamp now = env_.clock.Now();
    auto tx = env_.store.Begin();
    tx->RecordHit(domain::PasswordFailuresByAccountKey(account->email), now);
    tx->AppendLoginEvent(PasswordEvent(account->id, now, "password_change", "failed", request.ip));
    tx->Commit();
    return Error{ErrorCode::kInvalidCredentials, "The current password is not correct."};
  }
  if (auto weak = domain::CheckNewPassword(*fresh, account->email, env_.policy.password); !weak)
    return std::move(weak).error();
  std::string hash = env_.hasher.Hash(*fresh);

  const Timestamp now = env_.clock.Now();
  auto tx = env_.store.Begin();
  account = tx->FindAccountById(caller.account_id);
  if (!account) return Error::Unauthorized();
  account->password_hash = hash;
  account->password_changed_at = now;
  tx->UpdateAccount(*account);
  std::vector<std::string> signed_out;
  if (request.sign_out_other_devices)
    signed_out = tx->RevokeAccountFamilies(account->id, caller.family_id, now);
  tx->EnqueueMail(domain::PasswordChangedMail(account->email, now), now);
  tx->AppendLoginEvent(PasswordEvent(account->id, now, "password_change", "success", request.ip));
  tx->Commit();
  env_.mail_queued();
  std::erase(signed_out, caller.device_id);  // the caller stays signed in
  SignedOut(account->id, signed_out);
  return Ok();
}

Result<std::string> Passwords::RequestReset(const std::string& raw_email, const std::string& ip) {
  auto email = domain::NormalizeEmail(raw_email);
  if (!email) return std::move(email).error();
  const Timestamp now = env_.clock.Now();
  auto tx = env_.store.Begin();
  auto account = tx->FindAccountByEmail(*email);
  CodeRequest code{domain::ChallengePurpose::kPasswordReset, *email,
                   account ? account->id : std::string(), {}, ip, ""};
  auto c = StartEmailChallenge(*tx, env_, code, now);
  if (!c) return std::move(c).error();
  tx->Commit();
  env_.mail_queued();
  return c->id;
}

Result<void> Passwords::ConfirmReset(const std::string& challenge_id, const Secret& code,
                                     const std::string& new_password) {
  if (auto format = CheckCodeFormat(code); !format) return std::move(format).error();
  auto fresh = domain::NormalizePassword(new_password);
  if (!fresh) return std::move(fresh).error();
  std::string email;
  {
    // Judge the new password before spending the code, so a weak choice
    // does not cost an attempt.
    auto tx = env_.store.Begin();
    auto c = tx->LockChallenge(challenge_id);
    if (c && !c->account_id.empty())
      if (auto a = tx->FindAccountById(c->account_id)) email = a->email;
    tx->Commit();
  }
  if (auto weak = domain::CheckNewPassword(*fresh, email, env_.policy.password); !weak)
    return std::move(weak).error();
  std::string hash = env_.hasher.Hash(*fresh);

  const Timestamp now = env_.clock.Now();
  auto tx = env_.store.Begin();
  auto c = ConsumeCode(*tx, env_, challenge_id, domain::ChallengePurpose::kPasswordReset, code, now);
  if (!c) {
    tx->Commit();
    return std::move(c).error();
  }
  auto account = tx->FindAccountById(c->account_id);
  if (!account) return Error::NotFound("No such challenge.");
  account->password_hash = hash;
  account->password_changed_at = now;
  account->email_verified = true;  // the code proved the mailbox
  tx->UpdateAccount(*account);
  auto signed_out = tx->RevokeAccountFamilies(account->id, "", now);
  tx->ClearHits(domain::PasswordFailuresByAccountKey(account->email));
  tx->EnqueueMail(domain::PasswordChangedMail(account->email, now), now);
  tx->AppendLoginEvent(PasswordEvent(account->id, now, "password_reset", "success", c->requester_ip));
  tx->Commit();
  env_.mail_queued();
  SignedOut(account->id, signed_out);
  return Ok();
}

Result<domain::PasswordStrength> Passwords::Strength(const std::string& password,
                                                     const std::string& email) {
  auto normalized = domain::NormalizePassword(password);
  if (!normalized) return std::move(normalized).error();
  std::string mail = email;
  if (!email.empty()) {
    auto e = domain::NormalizeEmail(email);
    if (e) mail = *e;
  }
  return domain::EvaluatePassword(*normalized, mail, env_.policy.password);
}

}  // namespace twostep::service
