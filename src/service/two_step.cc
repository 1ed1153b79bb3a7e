#include "service/two_step.h"

#include "domain/digests.h"
#include "domain/email_address.h"
#include "domain/mail_templates.h"
#include "domain/password_policy.h"
#include "service/email_codes.h"
#include "service/notices.h"
#include "service/rollouts.h"
#include "service/sign_in_challenge.h"
#include "service/throttle.h"
#include "service/trust.h"

namespace twostep::service {

namespace {
std::string CallerApp(Transaction& tx, const Caller& caller) {
  auto d = tx.FindDevice(caller.account_id, caller.device_id);
  return d ? d->description.app : std::string();
}

LoginEvent SwitchEvent(Transaction& tx, const Caller& caller, Timestamp now,
                       domain::LoginOutcome outcome, const std::string& ip) {
  domain::DeviceDescription device{caller.device_id};
  if (auto d = tx.FindDevice(caller.account_id, caller.device_id)) device = d->description;
  return LoginEvent::TwoStepSwitch(caller.account_id, now, device, outcome, ip);
}
}  // namespace

Result<SecurityView> TwoStep::Security(const Secret& access_token) {
  auto hash = AccessTokenHash(access_token);
  if (!hash) return Error::Unauthorized();
  const PolicySnapshot policy = works_.Policy();
  const Timestamp now = works_.Now();
  // One store step (one round trip to PostgreSQL), not a read transaction:
  // the busiest authenticated read (issue 18).
  const std::string feature(domain::kTwoStepFeature);
  auto facts = works_.ReadSecurityFacts(*hash, now, feature);
  if (!facts) return Error::Unauthorized();
  const domain::Account& account = facts->account;
  SecurityView v;
  v.available = account.two_step_enabled ||
                TwoStepAvailable(RolloutOf(std::move(facts->rollout), *policy, feature,
                                           facts->caller_app), account);
  v.enabled = account.two_step_enabled;
  v.trusted_devices =
      static_cast<int>(trust_.LiveTrusted(std::move(facts->trusted_devices), now).size());
  v.default_method = v.trusted_devices > 0 ? "app" : "email";
  v.password_changed_at = account.password_changed_at;
  v.email_deliverable = !account.email_undeliverable_since;
  v.email_masked = domain::MaskEmail(account.email);
  return v;
}

Result<domain::Account> TwoStep::LoadAvailable(Transaction& tx, const SecurityPolicy& policy,
                                               const Caller& caller) {
  auto account = tx.FindAccountById(caller.account_id);
  if (!account) return Error::Unauthorized();
  if (!account->two_step_enabled && !TwoStepAvailable(tx, policy, *account, CallerApp(tx, caller)))
    return Error{ErrorCode::kForbidden, "Two-Step Verification is not available for this account yet."};
  return std::move(*account);
}

Result<void> TwoStep::CheckPassword(const PolicySnapshot& policy, const Caller& caller,
                                    const std::optional<std::string>& password,
                                    const std::string& ip) {
  if (!password)
    return Error{ErrorCode::kPasswordRequired,
                 "Enter your current password to turn Two-Step Verification on again."};
  auto normalized = domain::NormalizePassword(*password);
  std::optional<domain::Account> account;
  std::string key;
  Timestamp taken_at;
  {
    auto slot = works_.Begin(policy);
    taken_at = slot.now();
    account = slot->FindAccountById(caller.account_id);
    if (!account) return Error::Unauthorized();
    key = domain::PasswordFailuresByAccountKey(account->email);
    // The attempt holds its slot before the hash (issue 23); a right
    // password gives it back below.
    auto limited = TakeSlot(slot.tx(), key, policy->password_failures_per_account, taken_at);
    if (!limited) return std::move(limited).error();
    slot.Commit();
  }
  const bool ok = normalized && hasher_.Verify(account->password_hash, *normalized);
  auto work = works_.Begin(policy);
  if (ok) {
    work->RemoveHit(key, taken_at);
    work.Commit();
    return Ok();
  }
  work->AppendLoginEvent(SwitchEvent(work.tx(), caller, work.now(), domain::LoginOutcome::kFailed, ip));
  work.Commit();
  return Error::WrongPassword("The password is not correct.");
}

Secret TwoStep::SwitchOn(UnitOfWork& work, domain::Account& account, const Caller& caller,
                         const domain::DeviceDescription& device, const std::string& ip) {
  account.two_step_enabled = true;
  account.two_step_email_verified = true;
  work->UpdateAccount(account);
  auto secret = trust_.Trust(work, account.id, device, ip);
  // This session now holds the device's secret: it acts as that device.
  work->SetFamilyDeviceSecret(caller.family_id, domain::HashToken(secret.Reveal()));
  work.Mail(domain::TwoStepEnabledMail(domain::MailLocaleOf(account), account.email, work.now()));
  work->AppendLoginEvent(SwitchEvent(work.tx(), caller, work.now(), domain::LoginOutcome::kEnabled, ip));
  return secret;
}

Result<EnableResult> TwoStep::Enable(const Caller& caller,
                                     const std::optional<std::string>& password,
                                     const std::string& ip) {
  const PolicySnapshot policy = works_.Policy();  // one policy for the whole request
  bool needs_password = false;
  {
    auto snapshot = works_.Read(policy);
    auto account = LoadAvailable(snapshot.tx(), *policy, caller);
    if (!account) return std::move(account).error();
    // Already on: nothing changes and no one becomes trusted (a session
    // that was not trusted must not mint itself a device secret).
    if (account->two_step_enabled) return EnableResult{};
    needs_password = account->two_step_email_verified;
  }
  // Later switch-ons skip the email code, so they need the password.
  if (needs_password)
    if (auto r = CheckPassword(policy, caller, password, ip); !r) return std::move(r).error();

  auto work = works_.Begin(policy);
  auto account = LoadAvailable(work.tx(), *policy, caller);
  if (!account) return std::move(account).error();
  if (account->two_step_enabled) return EnableResult{};  // switched on meanwhile
  auto device = work->FindDevice(account->id, caller.device_id);
  domain::DeviceDescription desc = device ? device->description : domain::DeviceDescription{caller.device_id};
  EnableResult result;
  if (!account->two_step_email_verified) {
    CodeRequest code{domain::ChallengePurpose::kEnableTwoStep, account->email, account->id, desc, ip};
    code.locale = domain::MailLocaleOf(*account);
    auto c = codes_.Start(work, code);
    if (!c) return std::move(c).error();
    result.challenge = ViewOf(work.policy().challenge, *c, *account, work.now(), 0);
    work.Commit();
    return result;
  }
  result.device_secret = SwitchOn(work, *account, caller, desc, ip);
  work.Commit();
  return result;
}

Result<Secret> TwoStep::VerifyEnable(const Caller& caller, const std::string& challenge_id,
                                     const Secret& code, const std::string& ip) {
  if (auto format = CheckCodeFormat(code); !format) return std::move(format).error();
  auto work = works_.Begin();
  if (auto peek = work->LockChallenge(challenge_id); !peek || peek->account_id != caller.account_id)
    return Error::NotFound("No such challenge.");
  auto c = codes_.Consume(work, challenge_id, domain::ChallengePurpose::kEnableTwoStep, code);
  if (!c) {
    work.Commit();
    return std::move(c).error();
  }
  auto account = LoadAvailable(work.tx(), work.policy(), caller);
  if (!account) return std::move(account).error();
  auto device = work->FindDevice(account->id, caller.device_id);
  auto secret = SwitchOn(work, *account, caller, device ? device->description : c->requester, ip);
  work.Commit();
  return secret;
}

Result<void> TwoStep::Disable(const Caller& caller, const std::string& password,
                              const std::string& ip) {
  const PolicySnapshot policy = works_.Policy();
  if (auto r = CheckPassword(policy, caller, password, ip); !r) return std::move(r).error();
  auto work = works_.Begin(policy);
  auto account = work->FindAccountById(caller.account_id);
  if (!account) return Error::Unauthorized();
  if (account->two_step_enabled) {
    account->two_step_enabled = false;
    work->UpdateAccount(*account);
    work.Mail(domain::TwoStepDisabledMail(domain::MailLocaleOf(*account), account->email, work.now()));
    work->AppendLoginEvent(SwitchEvent(work.tx(), caller, work.now(), domain::LoginOutcome::kDisabled, ip));
  }
  work.Commit();
  return Ok();
}

}  // namespace twostep::service
