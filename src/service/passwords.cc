#include "service/passwords.h"

#include "domain/email_address.h"
#include "domain/mail_templates.h"
#include "service/email_codes.h"
#include "service/notices.h"
#include "service/throttle.h"

namespace twostep::service {

Result<void> Passwords::Change(const Caller& caller, const ChangePasswordRequest& request) {
  auto current = domain::NormalizePassword(request.current_password);
  auto fresh = domain::NormalizePassword(request.new_password);
  if (!fresh) return std::move(fresh).error();

  // One policy for the whole request, across its units of work.
  const PolicySnapshot policy = works_.Policy();
  const auto& limit = policy->password_failures_per_account;
  std::optional<domain::Account> account;
  std::string key;
  Timestamp taken_at;
  {
    auto slot = works_.Begin(policy);
    account = slot->FindAccountById(caller.account_id);
    if (!account) return Error::Unauthorized();
    // Judged before the slot is taken: a weak choice costs no hash and no
    // attempt (it says nothing about the current password).
    if (auto weak = domain::CheckNewPassword(*fresh, account->email, policy->password,
                                                account->locale);
        !weak)
      return std::move(weak).error();
    key = domain::PasswordFailuresByAccountKey(account->email);
    taken_at = slot.now();
    // The attempt holds its slot before the hash (issue 23).
    if (auto limited = TakeSlot(slot.tx(), key, limit, taken_at); !limited)
      return std::move(limited).error();
    slot.Commit();
  }
  if (!current || !hasher_.Verify(account->password_hash, *current)) {
    auto work = works_.Begin(policy);
    work->AppendLoginEvent(
        LoginEvent::Password(account->id, work.now(), domain::LoginEventKind::kPasswordChange,
                             domain::LoginOutcome::kFailed, request.ip));
    work.Commit();
    return Error::WrongPassword("The current password is not correct.");
  }
  // Said only to whoever proved the current password: it reveals nothing.
  if (fresh->Equals(current->Reveal())) {
    auto give_back = works_.Begin(policy);
    give_back->RemoveHit(key, taken_at);  // a right password gives its slot back
    give_back.Commit();
    return Error{ErrorCode::kWeakPassword,
                 i18n::Format(account->locale, "common.password.same_as_current")};
  }
  std::string hash = hasher_.Hash(*fresh);

  auto work = works_.Begin(policy);
  const Timestamp now = work.now();
  account = work->FindAccountById(caller.account_id);
  if (!account) return Error::Unauthorized();
  work->RemoveHit(key, taken_at);  // the right password gives its slot back
  account->password_hash = hash;
  account->password_changed_at = now;
  work->UpdateAccount(*account);
  std::vector<std::string> signed_out;
  if (request.sign_out_other_devices)
    signed_out = work->RevokeAccountFamilies(account->id, caller.family_id, now);
  std::erase(signed_out, caller.device_id);  // the caller stays signed in
  AnnounceSignedOut(work, account->id, signed_out, SignOutReason::kPasswordChanged);
  work.Mail(domain::PasswordChangedMail(domain::MailLocaleOf(*account), account->email, now));
  work->AppendLoginEvent(LoginEvent::Password(account->id, now, domain::LoginEventKind::kPasswordChange,
                                              domain::LoginOutcome::kSuccess, request.ip));
  work.Commit();
  return Ok();
}

Result<std::string> Passwords::RequestReset(const std::string& raw_email, const std::string& ip) {
  auto email = domain::NormalizeEmail(raw_email);
  if (!email) return std::move(email).error();
  auto work = works_.Begin();
  if (auto limited =
          TakeSlot(work.tx(), domain::ResetsByIpKey(ip), work.policy().resets_per_ip, work.now());
      !limited)
    return std::move(limited).error();
  auto account = work->FindAccountByEmail(*email);
  // The address is kept in real and decoy challenges alike
  // (Challenge::email), so a confirmation judges the new password the same
  // way for both.
  CodeRequest code{domain::ChallengePurpose::kPasswordReset, *email,
                   account ? account->id : std::string(), {}, ip};
  if (account) code.locale = domain::MailLocaleOf(*account);  // a decoy mails nothing
  auto c = codes_.Start(work, code);
  work.Commit();  // the IP's slot stays taken, also when the per-address limit refused
  if (!c) return std::move(c).error();
  return c->id;
}

// Three steps, so that no Argon2id runs for a bogus confirmation and none
// runs inside a store transaction (SQLite's writer gate would be held for
// the ~50 ms of the hash, stalling every other write):
//  1. tx1 judges the new password against the address kept in the
//     challenge (the same for real and decoy challenges: nothing
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
                                     const std::string& new_password, std::string_view lang) {
  if (auto format = CheckCodeFormat(code); !format) return std::move(format).error();
  auto fresh = domain::NormalizePassword(new_password);
  if (!fresh) return std::move(fresh).error();
  std::string account_id;
  std::string ip;
  {
    auto work = works_.Begin();
    auto c = work->LockChallenge(challenge_id);
    if (!c || c->purpose != domain::ChallengePurpose::kPasswordReset)
      return Error::NotFound("No such challenge.");
    // A weak choice does not cost an attempt; judged the same way for every
    // challenge, real or decoy (both keep the address).
    if (domain::IsOpen(*c, work.now()))
      if (auto weak = domain::CheckNewPassword(*fresh, c->email, work.policy().password, lang);
          !weak)
        return std::move(weak).error();
    auto consumed =
        codes_.Consume(work, challenge_id, domain::ChallengePurpose::kPasswordReset, code);
    work.Commit();  // the spent attempt, or the consumed code
    if (!consumed) return std::move(consumed).error();
    account_id = consumed->account_id;
    ip = consumed->requester_ip;
  }
  std::string hash = hasher_.Hash(*fresh);
  return SetResetPassword(account_id, hash, ip);
}

Result<void> Passwords::SetResetPassword(const std::string& account_id, const std::string& hash,
                                         const std::string& ip) {
  auto work = works_.Begin();
  const Timestamp now = work.now();
  auto account = work->FindAccountById(account_id);
  if (!account) return Error::NotFound("No such challenge.");
  account->password_hash = hash;
  account->password_changed_at = now;
  if (!account->email_verified) EndOpenRegistrations(work, account->id);
  account->email_verified = true;  // the code proved the mailbox
  work->UpdateAccount(*account);
  auto signed_out = work->RevokeAccountFamilies(account->id, "", now);
  AnnounceSignedOut(work, account->id, signed_out, SignOutReason::kPasswordChanged);
  work->ClearHits(domain::PasswordFailuresByAccountKey(account->email));
  work.Mail(domain::PasswordChangedMail(domain::MailLocaleOf(*account), account->email, now));
  work->AppendLoginEvent(LoginEvent::Password(account->id, now, domain::LoginEventKind::kPasswordReset,
                                              domain::LoginOutcome::kSuccess, ip));
  work.Commit();
  return Ok();
}

Result<domain::PasswordStrength> Passwords::Strength(const std::string& password,
                                                     const std::string& email,
                                                     std::string_view lang) {
  auto normalized = domain::NormalizePassword(password);
  if (!normalized) return std::move(normalized).error();
  std::string mail = email;
  if (!email.empty()) {
    auto e = domain::NormalizeEmail(email);
    if (e) mail = *e;
  }
  return domain::EvaluatePassword(*normalized, mail, works_.Policy()->password, lang);
}

}  // namespace twostep::service
