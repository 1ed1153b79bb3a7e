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

SignIn::SignIn(const WorkSource& works, PasswordHasher& hasher, Random& random,
               const SignInCodes& challenges, const EmailCodes& email_codes,
               const DeviceTrust& trust, const SessionIssuer& issuer)
    : works_(works), hasher_(hasher), challenges_(challenges), email_codes_(email_codes),
      trust_(trust), issuer_(issuer),
      dummy_hash_(hasher.Hash(domain::GenerateToken(random))) {}

std::optional<std::string> SignIn::ProvenSecretHash(Transaction& tx, const std::string& account_id,
                                                    const SignInRequest& r, Timestamp now) const {
  if (!r.device_secret) return std::nullopt;
  auto device = tx.FindDevice(account_id, r.device.id);
  if (!device || !domain::IsLive(*device, now, trust_.idle_limit()) ||
      !domain::ConstantTimeEquals(domain::HashToken(*r.device_secret), device->secret_hash))
    return std::nullopt;
  return device->secret_hash;
}

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

  // One policy for the whole request, across its units of work.
  const PolicySnapshot policy = works_.Policy();
  const auto account_key = domain::PasswordFailuresByAccountKey(*email);
  const auto ip_key = domain::PasswordFailuresByIpKey(request.ip);
  Timestamp taken_at;
  std::optional<domain::Account> account;
  {
    auto slots = works_.Begin(policy);
    taken_at = slots.now();
    account = slots->FindAccountByEmail(*email);
    const bool device_proven =
        account && ProvenSecretHash(slots.tx(), account->id, request, taken_at);
    if (!device_proven)
      if (auto r = TakeSlot(slots.tx(), account_key, policy->password_failures_per_account, taken_at); !r)
        return std::move(r).error();
    // Refused here, the work rolls back: no slot is kept.
    if (auto r = TakeSlot(slots.tx(), ip_key, policy->password_failures_per_ip, taken_at); !r)
      return std::move(r).error();
    slots.Commit();
  }

  bool ok = hasher_.Verify(account ? account->password_hash : dummy_hash_, *password);
  if (!ok || !account) {
    auto work = works_.Begin(policy);
    // The failure keeps its slots. Its IP hit is restamped with the time of
    // the verdict so that this commit writes (and syncs) whether or not the
    // account exists: the same timing for both.
    work->RemoveHit(ip_key, taken_at);
    work->RecordHit(ip_key, work.now());
    if (account) work->AppendLoginEvent(LoginEvent::SignIn(account->id, work.now(), request.device, request.ip, domain::LoginOutcome::kFailed, false));
    work.Count("logins", "failed");
    work.Commit();
    return Error::InvalidCredentials();
  }
  std::optional<std::string> new_hash;
  if (hasher_.NeedsRehash(account->password_hash)) new_hash = hasher_.Hash(*password);
  return Succeed(policy, request, account->id, new_hash, taken_at);
}

Result<SignInResult> SignIn::Succeed(const PolicySnapshot& policy, const SignInRequest& request,
                                     const std::string& account_id,
                                     const std::optional<std::string>& new_hash,
                                     Timestamp slot_taken_at) {
  // A second try when the device's trust changed under the first one; its
  // unit of work has rolled back when TrySucceed returns.
  for (int attempt = 0; attempt < 2; ++attempt)
    if (auto r = TrySucceed(policy, request, account_id, new_hash, slot_taken_at))
      return std::move(*r);
  throw StoreConflict("device trust changed twice during sign-in");
}

std::optional<Result<SignInResult>> SignIn::TrySucceed(const PolicySnapshot& policy,
                                                       const SignInRequest& request,
                                                       const std::string& account_id,
                                                       const std::optional<std::string>& new_hash,
                                                       Timestamp slot_taken_at) {
  auto work = works_.Begin(policy);
  const Timestamp now = work.now();
  auto account = work->FindAccountById(account_id);
  if (!account) return Error::InvalidCredentials();  // deleted meanwhile
  // A right password gives its per-IP slot back and clears the account's.
  work->RemoveHit(domain::PasswordFailuresByIpKey(request.ip), slot_taken_at);
  work->ClearHits(domain::PasswordFailuresByAccountKey(account->email));
  if (new_hash) {
    account->password_hash = *new_hash;
    work->UpdateAccount(*account);
  }
  if (!account->email_verified) return NotVerified(work, *account, request);

  auto proven = ProvenSecretHash(work.tx(), account->id, request, now);
  // Compare-and-set on the secret just checked: a removal that committed
  // since the read wins, and this sign-in starts over as an untrusted one
  // (it never writes the trust back, nor keeps a session of it).
  if (proven && !work->TouchTrustedDevice(account->id, request.device, request.ip, now, *proven))
    return std::nullopt;
  const bool trusted = proven.has_value();
  if (account->two_step_enabled && !trusted) {
    auto challenge = challenges_.Start(work, *account, request.device, request.ip);
    if (!challenge) {
      work.Commit();  // the password-failure window was cleared
      return std::move(challenge).error();
    }
    work->AppendLoginEvent(LoginEvent::SignIn(account->id, now, request.device, request.ip, domain::LoginOutcome::kChallenged, false));
    work.Count("logins", "challenged");
    work.Commit();
    return SignInResult(std::move(*challenge));
  }
  trust_.AlertIfNew(work, *account, request.device, request.ip, trusted);
  if (!trusted) TouchDevice(work, account->id, request.device, request.ip);
  auto session = issuer_.Issue(work, *account, request.device.id, proven.value_or(""));
  work->AppendLoginEvent(LoginEvent::SignIn(account->id, now, request.device, request.ip, domain::LoginOutcome::kSuccess, trusted));
  work.Count("logins", "success");
  work.Commit();
  return SignInResult(std::move(session));
}

Result<SignInResult> SignIn::NotVerified(UnitOfWork& work, const domain::Account& account,
                                         const SignInRequest& request) {
  // The new registration code carries no password: confirming it keeps the
  // password this sign-in just proved (Registration::VerifyEmail).
  CodeRequest code{domain::ChallengePurpose::kRegistration, account.email, account.id,
                   request.device, request.ip, ""};
  code.locale = domain::MailLocaleOf(account);
  auto c = email_codes_.Start(work, code);
  if (!c) return std::move(c).error();
  work.Commit();
  Error e{ErrorCode::kEmailNotVerified,
          "Verify your email first: a new code was sent to your address."};
  e.challenge_id = c->id;
  return e;
}

}  // namespace twostep::service
