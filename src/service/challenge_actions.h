// What can be done to an open sign-in challenge besides verifying it:
// resend the code (U6) or switch it to email (U7), deny it from a trusted
// device (U8), and list open code requests for a device that was offline.
// Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "ports/notifier.h"
#include "service/results.h"
#include "service/sign_in_challenge.h"
#include "service/trust.h"
#include "service/work_source.h"

namespace twostep::service {

class ChallengeActions {
 public:
  ChallengeActions(const WorkSource& works, const SignInCodes& codes, const DeviceTrust& trust)
      : works_(works), codes_(codes), trust_(trust) {}

  // `method` "app" or "email". A new code replaces the old one; the
  // wrong-code count is kept. 429 (retry_after) during the cool-down or after
  // the last allowed send; the first switch from app to email is at once.
  Result<ChallengeView> Resend(const std::string& challenge_id, const std::string& method);

  // From a trusted device of the account: the challenge fails at once.
  // 403 forbidden for a caller that is not a trusted device, 404 unknown,
  // 410 when it is no longer open.
  Result<void> Deny(const Caller& caller, const std::string& challenge_id);

  // Open app-channel code requests for a trusted device (codes unsealed),
  // read in the snapshot that checks the token.
  Result<std::vector<Notification>> Pending(const Secret& access_token);

 private:
  Result<void> RequireTrusted(Transaction& tx, const Caller& caller, Timestamp now) const;
  const WorkSource& works_;
  const SignInCodes& codes_;
  const DeviceTrust& trust_;
};

}  // namespace twostep::service
