#include "service/registration.h"

#include "domain/digests.h"
#include "domain/email_address.h"
#include "domain/mail_templates.h"
#include "domain/password_policy.h"
#include "domain/random_values.h"
#include "service/email_codes.h"
#include "service/account_settings.h"
#include "service/rollouts.h"
#include "service/throttle.h"
#include "service/trust.h"

namespace twostep::service {

namespace {
// U1: the account takes what the confirmed registration chose: its password
// and its app (whose defaults follow the registration that is confirmed,
// not the latest).
void ApplyConfirmedRegistration(Transaction& tx, const SecurityPolicy& policy, domain::Account& account,
                                const domain::Challenge& c, Timestamp now) {
  // A registration challenge carries the hash of the password its
  // registration chose. One without a hash was issued by a sign-in to this
  // unverified account (SignIn::Succeed → email_not_verified): that sign-in
  // had just proved the account's current password, so the account keeps
  // it. Carrying nothing rather than a copy means no one can ride a
  // password of their choosing on it, and a copy could only go stale.
  if (!c.password_hash.empty()) {
    account.password_hash = c.password_hash;
    account.password_changed_at = now;
  }
  // The language and zone too (U17): the mailbox owner's choice, not that
  // of whoever registered the address first.
  if (!c.locale.empty()) account.locale = c.locale;
  if (!c.time_zone.empty()) account.time_zone = c.time_zone;
  if (!c.app.empty()) {
    const std::string& app = c.app;
    auto app_default = policy.app_two_step_default.find(app);
    if (app_default != policy.app_two_step_default.end()) {
      account.registered_app = app;
      account.two_step_enabled = app_default->second && TwoStepAvailable(tx, policy, account, app);
    }
  }
}
// A new, unverified account. The first registration's password lets a
// sign-in ask for a new code (email_not_verified); the password that counts
// is the one of the challenge that is confirmed.
domain::Account NewAccount(Transaction& tx, const SecurityPolicy& policy, std::string id,
                           const RegisterRequest& request, const std::string& email,
                           const std::string& hash, Timestamp now) {
  const std::string& app = request.app;
  domain::Account account;
  account.id = std::move(id);
  account.email = email;
  account.locale = request.locale;
  account.time_zone = request.time_zone;
  account.created_at = now;
  account.password_hash = hash;
  account.password_changed_at = now;
  account.registered_app = app;
  // The app's default applies only to accounts inside its rollout (U15).
  account.two_step_enabled =
      policy.app_two_step_default.at(app) && TwoStepAvailable(tx, policy, account, app);
  return account;
}
}  // namespace

Result<std::string> Registration::Register(const RegisterRequest& request) {
  auto email = domain::NormalizeEmail(request.email);
  if (!email) return std::move(email).error();
  // One policy for the whole request, across its units of work.
  const PolicySnapshot policy = works_.Policy();
  if (!policy->app_two_step_default.contains(request.app))
    return Error::InvalidRequest("Unknown app.");
  if (request.device && !domain::IsValidInstallId(request.device->id))
    return Error::InvalidRequest("device.id must be 8-64 characters of A-Z, a-z, 0-9, _ or -.");
  if (auto settings = CheckLanguageSettings(request.locale, request.time_zone); !settings)
    return std::move(settings).error();
  auto password = domain::NormalizePassword(request.password);
  if (!password) return std::move(password).error();
  // In the registration's language (body, else Accept-Language; U17).
  if (auto weak = domain::CheckNewPassword(*password, *email, policy->password, request.locale);
      !weak)
    return std::move(weak).error();
  {
    // Per client IP (SPEC §2), taken before the hash so that a throttled IP
    // costs no Argon2id; every well-formed registration counts.
    auto slot = works_.Begin(policy);
    auto limited = TakeSlot(slot.tx(), domain::RegistrationsByIpKey(request.ip),
                            policy->registrations_per_ip, slot.now());
    if (!limited) return std::move(limited).error();
    slot.Commit();
  }

  // Hash before looking: every path pays the same Argon2id cost.
  std::string hash = hasher_.Hash(*password);

  auto work = works_.Begin(policy);
  auto existing = work->FindAccountByEmail(*email);
  CodeRequest code{domain::ChallengePurpose::kRegistration, *email, "",
                   request.device.value_or(domain::DeviceDescription{}), request.ip, request.app};
  code.locale = {request.locale, request.time_zone};
  if (existing && existing->email_verified) {
    auto decoy = codes_.Start(work, code);
    if (!decoy) return std::move(decoy).error();
    // Read by the address's owner, in the language they chose; the answer
    // to the request is the same whatever it is.
    if (codes_.MayMail(work, *email))
      work.Mail(domain::AlreadyRegisteredMail(domain::MailLocaleOf(*existing), *email));
    work.Commit();
    return decoy->id;
  }
  if (!existing) {
    existing = NewAccount(work.tx(), *policy, domain::GenerateId(random_, "acc"), request, *email,
                          hash, work.now());
    if (!work->InsertAccount(*existing))
      return Error{ErrorCode::kUnavailable, "Please try again."};  // lost a race on the email
  }
  // An unverified account is left as it is (U1): this registration's
  // password rides on its own challenge.
  code.account_id = existing->id;
  code.password_hash = hash;
  auto challenge = codes_.Start(work, code);
  if (!challenge) return std::move(challenge).error();
  work.Commit();
  return challenge->id;
}

Result<VerifyEmailResult> Registration::VerifyEmail(const std::string& challenge_id,
                                                    const Secret& code) {
  if (auto format = CheckCodeFormat(code); !format) return std::move(format).error();
  auto work = works_.Begin();
  auto c = codes_.Consume(work, challenge_id, domain::ChallengePurpose::kRegistration, code);
  if (!c) {
    work.Commit();  // keep the spent attempt
    return std::move(c).error();
  }
  auto account = work->FindAccountById(c->account_id);
  if (!account) return Error::NotFound("No such challenge.");
  ApplyConfirmedRegistration(work.tx(), work.policy(), *account, *c, work.now());
  // Whoever else registered this address loses the race for good.
  EndOpenRegistrations(work, account->id);
  VerifyEmailResult result;
  account->email_verified = true;
  if (account->two_step_enabled) {
    // For an app whose default is on, this code is the two-step
    // verification (U3), and the registering device is the first trusted.
    account->two_step_email_verified = true;
    if (!c->requester.id.empty())
      result.device_secret = trust_.Trust(work, account->id, c->requester, c->requester_ip);
  }
  work->UpdateAccount(*account);
  work.Commit();
  return result;
}

}  // namespace twostep::service
