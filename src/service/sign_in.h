// Use case: sign in with email + password from a device (U2, U5, U9).
// Same answer and the same Argon2id work whether or not the account exists
// (unknown accounts are verified against a dummy hash). Failures are
// throttled per account and per client IP (SPEC §2). Blocking (hashes):
// call it on the hashing pool. Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "base/result.h"
#include "domain/device.h"
#include "service/results.h"
#include "base/random.h"
#include "ports/password_hasher.h"
#include "service/email_codes.h"
#include "service/security_policy.h"
#include "service/session_issuer.h"
#include "service/sign_in_challenge.h"
#include "service/trust.h"
#include "service/work_source.h"

namespace twostep::service {

struct SignInRequest {
  std::string email;
  std::string password;
  domain::DeviceDescription device;
  std::optional<std::string> device_secret;
  std::string ip;
};

class SignIn {
 public:
  // Computes the dummy hash with the current parameters (one Argon2id run
  // on a password drawn from `random`).
  SignIn(const WorkSource& works, PasswordHasher& hasher, Random& random,
         const SignInCodes& challenges, const EmailCodes& email_codes, const DeviceTrust& trust,
         const SessionIssuer& issuer);

  // A session, or a challenge when two-step applies. Errors:
  // invalid_credentials, email_not_verified (with challenge_id; a new code
  // was emailed), rate_limited, invalid_request/invalid_email.
  Result<SignInResult> Run(const SignInRequest& request);

 private:
  // The password was right: a session, a challenge, or email_not_verified.
  // `slot_taken_at`: when Run took the per-IP slot this success gives back;
  // `policy`: the one Run applies.
  Result<SignInResult> Succeed(const PolicySnapshot& policy, const SignInRequest& request,
                               const std::string& account_id,
                               const std::optional<std::string>& new_hash, Timestamp slot_taken_at);
  // nullopt (rolled back) when a trusted device's trust changed meanwhile.
  std::optional<Result<SignInResult>> TrySucceed(const PolicySnapshot& policy,
                                                 const SignInRequest& request,
                                                 const std::string& account_id,
                                                 const std::optional<std::string>& new_hash,
                                                 Timestamp slot_taken_at);
  Result<SignInResult> NotVerified(UnitOfWork& work, const domain::Account& account,
                                   const SignInRequest& request);

  // U9: the hash of the secret of the request's install id, when the
  // request presents it validly (trusted, not idle, the secret's hash
  // matches in constant time); nullopt otherwise.
  std::optional<std::string> ProvenSecretHash(Transaction& tx, const std::string& account_id,
                                              const SignInRequest& r, Timestamp now) const;

  const WorkSource& works_;
  PasswordHasher& hasher_;
  const SignInCodes& challenges_;
  const EmailCodes& email_codes_;
  const DeviceTrust& trust_;
  const SessionIssuer& issuer_;
  std::string dummy_hash_;
};

}  // namespace twostep::service
