// GET /v1/challenges/{id}[?wait=N] (SPEC U5, §3): the new device watches its
// sign-in challenge. With `wait` (0–30 s) the answer is held, without a
// thread (message.h Hold, http/wait_hub.h), until the state or the method
// changes or the time is up, so the device learns at once that it was
// denied, expired or used up, or that the code went to email.
#pragma once

#include "http/router.h"
#include "service/challenge_status.h"

namespace twostep::http {

// The longest wait a client may ask for.
inline constexpr int kMaxChallengeWaitS = 30;
// A held answer reads the challenge again at least this often: a change
// made by another instance (which signals only its own WaitHub), or the
// expiry, is seen within this time. Local changes wake it at once.
inline constexpr std::chrono::seconds kChallengeRecheck{2};

// `status` must outlive the router.
void AddChallengeWatchRoute(Router& router, const service::ChallengeStatus& status);

}  // namespace twostep::http
