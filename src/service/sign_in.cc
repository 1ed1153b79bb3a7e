#include "service/sign_in.h"

#include "domain/digests.h"
#include "domain/email_address.h"
#include "domain/password_policy.h"
#include "domain/random_values.h"
#include "service/email_codes.h"
#include "service/session_issuer.h"
#include "service/sign_in_challenge.h"
#include "service/throttle.h"
#include "service/trust.h"

namespace twostep::service {

namespace {
LoginEvent Event(const std::string& account_id, const SignInRequest& r, Timestamp now,
                 std::string outcome, bool trusted) {
  LoginEvent e;
  e.account_id = account_id;
  e.at = now;
  e.event = "sign_in";
  e.outcome = std::move(outcome);
  e.device = r.device;
  e.ip = r.ip;
  e.trusted = trusted;
  e.method = "password";
  return e;
}
}  // namespace

SignIn::SignIn(const ServiceEnv& env) : env_(env) {
  dummy_hash_ = env_.hasher.Hash(domain::GenerateToken(env_.random));
}

namespace {
// U9: the request presents the valid secret of its install id: trusted, not
// idle, and the secret's hash matches (as SignIn::Succeed judges it).
bool PresentsTrustedSecret(Transaction& tx, const ServiceEnv& env, const domain::Account& account,
                           const SignInRequest& r, Timestamp now) {
  if (!r.device_secret) return false;
  auto device = tx.FindDevice(account.id, r.device.id);
  return device && device->trusted &&
         device->last_seen_at + env.policy.trusted_device_idle > now &&
         domain::ConstantTimeEquals(domain::HashToken(*r.device_secret), device->secret_hash);
}
}  // namespace

// The attempt takes its slots (records its hits) in the transaction that
// checks the limits, before the hash runs, so parallel guesses cannot all
// pass one check (issue 23); a right password gives the per-IP slot back
// (the account's window is cleared by Succeed, as before). A device that
// presents its valid secret is not held by the account's window (U9: a
// stranger's wrong passwords must not lock the owner's trusted devices
// out); the per-IP window holds it like anyone. An unverified account gets
// email_not_verified and a new registration code from Succeed; that
// challenge carries no password hash, so confirming it keeps the password
// this sign-in just proved (Registration::VerifyEmail).
Result<SignInResult> SignIn::Run(const SignInRequest& request) {
  if (!domain::IsValidInstallId(request.device.id))
    return Error::InvalidRequest("device.id must be 8-64 characters of A-Z, a-z, 0-9, _ or -.");
  auto email = domain::NormalizeEmail(request.email);
  if (!email) return std::move(email).error();
  auto password = domain::NormalizePassword(request.password);
  if (!password) return Error::InvalidCredentials();

  const auto account_key = domain::PasswordFailuresByAccountKey(*email);
  const auto ip_key = domain::PasswordFailuresByIpKey(request.ip);
  const Timestamp taken_at = env_.clock.Now();
  std::optional<domain::Account> account;
  {
    auto tx = env_.store.Begin();
    account = tx->FindAccountByEmail(*email);
    const bool device_proven =
        account && PresentsTrustedSecret(*tx, env_, *account, request, taken_at);
    if (!device_proven)
      if (auto r = TakeSlot(*tx, account_key, env_.policy.password_failures_per_account, taken_at); !r)
        return std::move(r).error();
    // Refused here, the transaction rolls back: no slot is kept.
    if (auto r = TakeSlot(*tx, ip_key, env_.policy.password_failures_per_ip, taken_at); !r)
      return std::move(r).error();
    tx->Commit();
  }

  bool ok = env_.hasher.Verify(account ? account->password_hash : dummy_hash_, *password);
  if (!ok || !account) {
    const Timestamp now = env_.clock.Now();
    auto tx = env_.store.Begin();
    // The failure keeps its slots. Its IP hit is restamped with the time of
    // the verdict so that this commit writes (and syncs) whether or not the
    // account exists: the same timing for both.
    tx->RemoveHit(ip_key, taken_at);
    tx->RecordHit(ip_key, now);
    if (account) tx->AppendLoginEvent(Event(account->id, request, now, "failed", false));
    tx->Commit();
    env_.counters.Increment("logins", "failed");
    return Error::InvalidCredentials();
  }
  {
    auto tx = env_.store.Begin();
    tx->RemoveHit(ip_key, taken_at);
    tx->Commit();
  }
  std::optional<std::string> new_hash;
  if (env_.hasher.NeedsRehash(account->password_hash)) new_hash = env_.hasher.Hash(*password);
  return Succeed(request, account->id, new_hash, true);
}

Result<SignInResult> SignIn::Succeed(const SignInRequest& request, const std::string& account_id,
                                     const std::optional<std::string>& new_hash,
                                     bool retry_on_trust_change) {
  const Timestamp now = env_.clock.Now();
  auto tx = env_.store.Begin();
  auto account = tx->FindAccountById(account_id);
  if (!account) return Error::InvalidCredentials();  // deleted meanwhile
  tx->ClearHits(domain::PasswordFailuresByAccountKey(account->email));
  if (new_hash) {
    account->password_hash = *new_hash;
    tx->UpdateAccount(*account);
  }
  if (!account->email_verified) {
    CodeRequest code{domain::ChallengePurpose::kRegistration, account->email, account->id,
                     request.device, request.ip, ""};
    auto c = StartEmailChallenge(*tx, env_, code, now);
    if (!c) return std::move(c).error();
    tx->Commit();
    env_.mail_queued();
    Error e{ErrorCode::kEmailNotVerified,
            "Verify your email first: a new code was sent to your address."};
    e.challenge_id = c->id;
    return e;
  }

  auto device = tx->FindDevice(account->id, request.device.id);
  bool trusted = device && device->trusted &&
                 device->last_seen_at + env_.policy.trusted_device_idle > now &&
                 request.device_secret &&
                 domain::ConstantTimeEquals(domain::HashToken(*request.device_secret),
                                            device->secret_hash);
  // Compare-and-set on the secret just checked: a removal that committed
  // since the read wins, and this sign-in starts over as an untrusted one
  // (it never writes the trust back, nor keeps a session of it).
  if (trusted &&
      !tx->TouchTrustedDevice(account->id, request.device, request.ip, now, device->secret_hash)) {
    if (!retry_on_trust_change) throw StoreConflict("device trust changed twice during sign-in");
    tx.reset();
    return Succeed(request, account_id, new_hash, false);
  }
  if (account->two_step_enabled && !trusted) {
    auto challenge = StartSignInChallenge(*tx, env_, *account, request.device, request.ip, now);
    if (!challenge) {
      tx->Commit();  // the password-failure window was cleared
      return std::move(challenge).error();
    }
    tx->AppendLoginEvent(Event(account->id, request, now, "challenged", false));
    tx->Commit();
    env_.mail_queued();
    SendAll(env_, challenge->notices);
    env_.counters.Increment("logins", "challenged");
    return SignInResult(std::move(challenge->view));
  }
  AlertIfNewDevice(*tx, env_, *account, request.device, request.ip, now, trusted);
  if (!trusted) TouchDevice(*tx, account->id, request.device, request.ip, now);
  auto session = IssueSession(*tx, env_, *account, request.device.id, now,
                              trusted ? device->secret_hash : std::string());
  tx->AppendLoginEvent(Event(account->id, request, now, "success", trusted));
  tx->Commit();
  env_.mail_queued();
  env_.counters.Increment("logins", "success");
  return SignInResult(std::move(session));
}

}  // namespace twostep::service
