// The second step of a sign-in (U5): starting the challenge for a device
// that is not trusted, and verifying the code it enters. In this version the
// code goes by email; the live app channel to trusted devices plugs in here.
#pragma once

#include <string>

#include "base/result.h"
#include "base/secret.h"
#include "domain/account.h"
#include "ports/store.h"
#include "service/results.h"
#include "service/service_env.h"

namespace twostep::service {

// Inside the sign-in transaction: applies the per-account challenge limit
// (10 per hour), creates the challenge and queues the code.
Result<ChallengeView> StartSignInChallenge(Transaction& tx, const ServiceEnv& env,
                                           const domain::Account& account,
                                           const domain::DeviceDescription& device,
                                           const std::string& ip, Timestamp now);

ChallengeView ViewOf(const domain::Challenge& c, const std::string& email, Timestamp now,
                     const domain::ChallengePolicy& policy);

class VerifySignIn {
 public:
  explicit VerifySignIn(const ServiceEnv& env) : env_(env) {}

  // 200 session (with device_secret when `trust_device`). Errors as
  // ConsumeCode: 400 invalid_code + attempts_left, 410, 403 denied, 404.
  Result<IssuedSession> Run(const std::string& challenge_id, const Secret& code,
                            bool trust_device);

 private:
  const ServiceEnv& env_;
};

}  // namespace twostep::service
