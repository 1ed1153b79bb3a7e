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

  const auto& limit = env_.policy.password_failures_per_account;
  std::optional<domain::Account> account;
  std::string key;
  Timestamp taken_at;
  {
    auto tx = env_.store.Begin();
    account = tx->FindAccountById(caller.account_id);
    if (!account) return Error::Unauthorized();
    // Judged before the slot is taken: a weak choice costs no hash and no
    // attempt (it says nothing about the current password).
    if (auto weak = domain::CheckNewPassword(*fresh, account->email, env_.policy.password); !weak)
      return std::move(weak).error();
    key = domain::PasswordFailuresByAccountKey(account->email);
    taken_at = env_.clock.Now();
    // The attempt holds its slot before the hash (issue 23).
    if (auto limited = TakeSlot(*tx, key, limit, taken_at); !limited)
      return std::move(limited).error();
    tx->Commit();
  }
  if (!current || !env_.hasher.Verify(account->password_hash, *current)) {
    const Timestamp now = env_.clock.Now();
    auto tx = env_.store.Begin();
    tx->AppendLoginEvent(PasswordEvent(account->id, now, "password_change", "failed", request.ip));
    tx->Commit();
    return Error::WrongPassword("The current password is not correct.");
  }
  std::string hash = env_.hasher.Hash(*fresh);

  const Timestamp now = env_.clock.Now();
  auto tx = env_.store.Begin();
  account = tx->FindAccountById(caller.account_id);
  if (!account) return Error::Unauthorized();
  tx->RemoveHit(key, taken_at);  // the right password gives its slot back
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
  if (auto limited = TakeSlot(*tx, domain::ResetsByIpKey(ip), env_.policy.resets_per_ip, now);
      !limited)
    return std::move(limited).error();
  auto account = tx->FindAccountByEmail(*email);
  // The address rides in the payload of real and decoy challenges alike, so
  // a confirmation judges the new password the same way for both.
  CodeRequest code{domain::ChallengePurpose::kPasswordReset, *email,
                   account ? account->id : std::string(), {}, ip, *email};
  auto c = StartEmailChallenge(*tx, env_, code, now);
  if (!c) {
    tx->Commit();  // the IP's slot stays taken
    return std::move(c).error();
  }
  tx->Commit();
  env_.mail_queued();
  return c->id;
}

// Three steps, so that no Argon2id runs for a bogus confirmation and none
// runs inside a store transaction (SQLite's writer gate would be held for
// the ~50 ms of the hash, stalling every other write):
//  1. tx1 judges the new password against the address in the challenge's
//     payload (the same for real and decoy challenges: nothing
//     account-specific is looked at before the code), then checks the code
//     and consumes it (state verified). A wrong code spends an attempt;
//     unknown, ended, decoy or wrong-code challenges end here, unhashed.
//  2. The hash, outside any transaction.
//  3. tx2 sets the password. Nothing can have reopened the challenge: it was
//     consumed in tx1, so a second confirmation gets challenge_expired, and
//     a parallel one lost at tx1. What may have changed is the account:
//     deleted (404), or its password changed meanwhile; the code proved the
//     mailbox, so the reset's password wins, as if it had come a moment
//     later. A crash between 1 and 3 leaves the code spent and the password
//     unchanged: the user asks for a new code; nothing is half-written.
Result<void> Passwords::ConfirmReset(const std::string& challenge_id, const Secret& code,
                                     const std::string& new_password) {
  if (auto format = CheckCodeFormat(code); !format) return std::move(format).error();
  auto fresh = domain::NormalizePassword(new_password);
  if (!fresh) return std::move(fresh).error();
  std::string account_id;
  std::string ip;
  {
    const Timestamp now = env_.clock.Now();
    auto tx = env_.store.Begin();
    auto c = tx->LockChallenge(challenge_id);
    if (!c || c->purpose != domain::ChallengePurpose::kPasswordReset)
      return Error::NotFound("No such challenge.");
    // A weak choice does not cost an attempt; judged the same way for every
    // challenge, real or decoy (the address is in both payloads).
    if (domain::IsOpen(*c, now))
      if (auto weak = domain::CheckNewPassword(*fresh, c->payload, env_.policy.password); !weak)
        return std::move(weak).error();
    auto consumed = ConsumeCode(*tx, env_, challenge_id, domain::ChallengePurpose::kPasswordReset,
                                code, now);
    tx->Commit();  // the spent attempt, or the consumed code
    if (!consumed) return std::move(consumed).error();
    account_id = consumed->account_id;
    ip = consumed->requester_ip;
  }
  std::string hash = env_.hasher.Hash(*fresh);
  return SetResetPassword(account_id, hash, ip);
}

Result<void> Passwords::SetResetPassword(const std::string& account_id, const std::string& hash,
                                         const std::string& ip) {
  const Timestamp now = env_.clock.Now();
  auto tx = env_.store.Begin();
  auto account = tx->FindAccountById(account_id);
  if (!account) return Error::NotFound("No such challenge.");
  account->password_hash = hash;
  account->password_changed_at = now;
  if (!account->email_verified) EndOpenRegistrations(*tx, account->id, now);
  account->email_verified = true;  // the code proved the mailbox
  tx->UpdateAccount(*account);
  auto signed_out = tx->RevokeAccountFamilies(account->id, "", now);
  tx->ClearHits(domain::PasswordFailuresByAccountKey(account->email));
  tx->EnqueueMail(domain::PasswordChangedMail(account->email, now), now);
  tx->AppendLoginEvent(PasswordEvent(account->id, now, "password_reset", "success", ip));
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
