// The second step of a sign-in (U5-U8): starting the challenge for a device
// that is not trusted, and verifying the code it enters. The code goes to
// every live trusted device ("app", the default) or, when there is none, by
// email. Wrong codes also count per account across challenges (SPEC §2).
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "base/secret.h"
#include "domain/account.h"
#include "service/results.h"
#include "service/service_env.h"

namespace twostep::service {

// In the sign-in's unit of work: refuses while the account is blocked for
// wrong codes (429), applies the per-account challenge limit (10 per hour),
// creates the challenge and sends the code (to the devices or by mail).
Result<ChallengeView> StartSignInChallenge(UnitOfWork& work, const ServiceEnv& env,
                                           const domain::Account& account,
                                           const domain::DeviceDescription& device,
                                           const std::string& ip);

// Issues a fresh code for `c` on `method` (domain::MarkSent already called
// or a new challenge), seals it for the app channel and hands the
// notifications (to `live_trusted`, read once by the caller) or the mail to
// `work`.
void SendNewCode(UnitOfWork& work, const ServiceEnv& env, domain::Challenge& c,
                 const domain::Account& account, domain::ChallengeMethod method,
                 const std::vector<domain::DeviceRecord>& live_trusted);

// The `challenge` object of the API for `c` (`live_trusted_devices` counts
// for sign-in challenges only). `methods` offers email only while the
// account's address takes mail (no permanent refusal since the last
// accepted delivery); a resend by email is still allowed.
ChallengeView ViewOf(const ServiceEnv& env, const domain::Challenge& c,
                     const domain::Account& account, Timestamp now, size_t live_trusted_devices);

class VerifySignIn {
 public:
  explicit VerifySignIn(const ServiceEnv& env) : env_(env) {}

  // 200 session (with device_secret when `trust_device`). Errors as
  // ConsumeCode: 400 invalid_code + attempts_left, 410, 403 denied, 404.
  Result<IssuedSession> Run(const std::string& challenge_id, const Secret& code,
                            bool trust_device);

 private:
  // A wrong, exhausted or expired attempt: the account's streak, the event,
  // and the trusted devices told when the challenge just ended.
  void Failed(UnitOfWork& work, const domain::Challenge& before, const Error& error);
  const ServiceEnv& env_;
};

}  // namespace twostep::service
