#include "service/registration.h"

#include "domain/digests.h"
#include "domain/email_address.h"
#include "domain/mail_templates.h"
#include "domain/password_policy.h"
#include "domain/random_values.h"
#include "service/email_codes.h"
#include "service/rollouts.h"
#include "service/trust.h"

namespace twostep::service {

Result<std::string> Registration::Register(const RegisterRequest& request) {
  auto email = domain::NormalizeEmail(request.email);
  if (!email) return std::move(email).error();
  auto app_default = env_.policy.app_two_step_default.find(request.app);
  if (app_default == env_.policy.app_two_step_default.end())
    return Error::InvalidRequest("Unknown app.");
  if (request.device && !domain::IsValidInstallId(request.device->id))
    return Error::InvalidRequest("device.id must be 8-64 characters of A-Z, a-z, 0-9, _ or -.");
  auto password = domain::NormalizePassword(request.password);
  if (!password) return std::move(password).error();
  if (auto weak = domain::CheckNewPassword(*password, *email, env_.policy.password); !weak)
    return std::move(weak).error();

  // Hash before looking: every path pays the same Argon2id cost.
  std::string hash = env_.hasher.Hash(*password);
  const Timestamp now = env_.clock.Now();

  auto tx = env_.store.Begin();
  auto existing = tx->FindAccountByEmail(*email);
  CodeRequest code{domain::ChallengePurpose::kRegistration, *email, "",
                   request.device.value_or(domain::DeviceDescription{}), request.ip, ""};
  if (existing && existing->email_verified) {
    auto decoy = StartEmailChallenge(*tx, env_, code, now);
    if (!decoy) return std::move(decoy).error();
    tx->EnqueueMail(domain::AlreadyRegisteredMail(*email), now);
    tx->Commit();
    env_.mail_queued();
    return decoy->id;
  }
  domain::Account account;
  if (existing) {
    // An unverified registration can be claimed again: only the mailbox
    // owner can finish it, and the newest password wins.
    account = *existing;
  } else {
    account.id = domain::GenerateId(env_.random, "acc");
    account.email = *email;
    account.created_at = now;
  }
  account.password_hash = hash;
  account.password_changed_at = now;
  account.registered_app = request.app;
  // The app's default applies only to accounts inside its rollout (U15).
  account.two_step_enabled = app_default->second && TwoStepAvailable(*tx, env_, account, request.app);
  if (existing) {
    tx->UpdateAccount(account);
  } else if (!tx->InsertAccount(account)) {
    return Error{ErrorCode::kUnavailable, "Please try again."};  // lost a race on the email
  }
  code.account_id = account.id;
  auto challenge = StartEmailChallenge(*tx, env_, code, now);
  if (!challenge) return std::move(challenge).error();
  tx->Commit();
  env_.mail_queued();
  return challenge->id;
}

Result<VerifyEmailResult> Registration::VerifyEmail(const std::string& challenge_id,
                                                    const Secret& code) {
  if (auto format = CheckCodeFormat(code); !format) return std::move(format).error();
  const Timestamp now = env_.clock.Now();
  auto tx = env_.store.Begin();
  auto c = ConsumeCode(*tx, env_, challenge_id, domain::ChallengePurpose::kRegistration, code, now);
  if (!c) {
    tx->Commit();  // keep the spent attempt
    return std::move(c).error();
  }
  auto account = tx->FindAccountById(c->account_id);
  if (!account) return Error::NotFound("No such challenge.");
  VerifyEmailResult result;
  account->email_verified = true;
  if (account->two_step_enabled) {
    // For an app whose default is on, this code is the two-step
    // verification (U3), and the registering device is the first trusted.
    account->two_step_email_verified = true;
    if (!c->requester.id.empty())
      result.device_secret = TrustDevice(*tx, env_, account->id, c->requester, c->requester_ip, now);
  }
  tx->UpdateAccount(*account);
  tx->Commit();
  return result;
}

}  // namespace twostep::service
