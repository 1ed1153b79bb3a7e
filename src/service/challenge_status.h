// What a new device waiting on its sign-in challenge may learn (SPEC U5,
// §3 GET /v1/challenges/{id}): its state, channel, where the code went and
// the times, never the code. No authentication: the challenge id, handed
// only to the device that proved the password, is the capability. Only
// sign-in challenges are visible; a registration or reset challenge answers
// 404 like an unknown id, so the call reveals nothing about an address.
// Thread-safe (reads in its own read transaction).
#pragma once

#include <string>

#include "base/result.h"
#include "service/results.h"
#include "service/security_policy.h"
#include "service/trust.h"
#include "service/work_source.h"

namespace twostep::service {

struct ChallengeStatusView {
  // pending | verified | denied | expired | exhausted (a pending challenge
  // past its expiry is expired).
  std::string state;
  ChallengeView challenge;  // method, destination, expires_in, resend_in
};

class ChallengeStatus {
 public:
  ChallengeStatus(const WorkSource& works, const DeviceTrust& trust)
      : works_(works), trust_(trust) {}

  // 404 not_found for an unknown id or a challenge that is not a sign-in.
  Result<ChallengeStatusView> Read(const std::string& challenge_id) const;

 private:
  const WorkSource& works_;
  const DeviceTrust& trust_;
};

}  // namespace twostep::service
