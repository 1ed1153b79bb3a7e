// Use case: the new device enters the code of its sign-in challenge (U5,
// U8). Wrong codes also count per account across challenges (SPEC §2); the
// trusted devices are told when the challenge ends. Thread-safe.
#pragma once

#include <string>

#include "base/result.h"
#include "base/secret.h"
#include "domain/challenge.h"
#include "service/email_codes.h"
#include "service/results.h"
#include "service/security_policy.h"
#include "service/session_issuer.h"
#include "service/trust.h"
#include "service/work_source.h"

namespace twostep::service {

class VerifySignIn {
 public:
  VerifySignIn(const WorkSource& works, const EmailCodes& codes, const DeviceTrust& trust,
               const SessionIssuer& issuer)
      : works_(works), codes_(codes), trust_(trust), issuer_(issuer) {}

  // 200 session (with device_secret when `trust_device`). Errors as
  // EmailCodes::Consume: 400 invalid_code + attempts_left, 410, 403 denied,
  // 404.
  Result<IssuedSession> Run(const std::string& challenge_id, const Secret& code,
                            bool trust_device);

 private:
  // A wrong, exhausted or expired attempt: the account's streak, the event,
  // and the trusted devices told when the challenge just ended.
  void Failed(UnitOfWork& work, const domain::Challenge& before, const Error& error);
  // One wrong code against the account (SPEC §2), or the streak cleared.
  void TrackWrongCodes(UnitOfWork& work, const std::string& account_id, bool wrong);

  const WorkSource& works_;
  const EmailCodes& codes_;
  const DeviceTrust& trust_;
  const SessionIssuer& issuer_;
};

}  // namespace twostep::service
