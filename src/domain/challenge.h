// Challenge: one request for a verification code, persisted with its expiry
// and counters (modelled on a Kratos login flow). Used for every code the
// service sends: registration, enabling two-step, sign-in, password reset.
// Transitions are pure functions here; the caller persists the result in the
// same transaction that read the challenge, so a code is checked and consumed
// atomically.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/time.h"
#include "domain/device.h"

namespace twostep::domain {

enum class ChallengePurpose { kRegistration, kEnableTwoStep, kSignIn, kPasswordReset };
enum class ChallengeMethod { kApp, kEmail };
// kPending is the only non-terminal state; terminal states are final.
enum class ChallengeState { kPending, kVerified, kDenied, kExpired, kExhausted };

std::string_view PurposeName(ChallengePurpose p);
std::optional<ChallengePurpose> ParsePurpose(std::string_view s);
std::string_view MethodName(ChallengeMethod m);
std::optional<ChallengeMethod> ParseMethod(std::string_view s);
std::string_view StateName(ChallengeState s);
std::optional<ChallengeState> ParseState(std::string_view s);

struct ChallengePolicy {
  seconds ttl{600};
  int max_attempts = 5;
  seconds resend_cooldown{60};
  int max_sends = 5;
};

struct Challenge {
  std::string id;
  std::string account_id;  // empty for a decoy (registration of a taken email)
  ChallengePurpose purpose = ChallengePurpose::kRegistration;
  ChallengeMethod method = ChallengeMethod::kEmail;
  ChallengeState state = ChallengeState::kPending;
  std::string code_hash;    // HashCode(key, id, code)
  std::string sealed_code;  // AEAD-sealed code while open (app channel); empty otherwise
  int attempts_left = 5;
  int sends = 1;
  Timestamp created_at;
  Timestamp expires_at;
  Timestamp last_sent_at;
  // Who asked (sign-in challenges): shown on trusted devices.
  DeviceDescription requester;
  std::string requester_ip;
  // Extra payload for the purpose. Never a plain secret.
  std::string payload;
  // Registration: the Argon2id hash of the password this registration chose.
  // The account takes it only when this challenge is confirmed (U1), so
  // whoever registers an address cannot choose its mailbox owner's password.
  std::string password_hash;
};

// A challenge is usable when pending and not past its expiry. Expiry is
// judged against `now` so a stale kPending row is treated as expired.
bool IsOpen(const Challenge& c, Timestamp now);

enum class AttemptOutcome {
  kVerified,      // right code: the challenge is now kVerified (consumed)
  kWrongCode,     // wrong code, attempts_left decremented, still pending
  kExhausted,     // wrong code and no attempts left: now kExhausted
  kExpired,       // past expiry or already exhausted/verified: unusable
  kDenied,        // a trusted device denied it
};

struct AttemptResult {
  AttemptOutcome outcome;
  Challenge updated;  // the state to persist
};

// Applies one code attempt. Pure: the caller supplies `now` and whether the
// code matched; persisting `updated` is the caller's job.
AttemptResult ApplyCodeAttempt(const Challenge& c, bool code_matches, Timestamp now);

enum class ResendDecision { kAllowed, kCoolingDown, kTooManySends, kClosed };
struct ResendCheck {
  ResendDecision decision;
  seconds retry_after{0};
};
// Whether a new code may be sent now. `switching_to_email` is the first
// "Did not receive a code?" switch from the app channel: allowed at once.
ResendCheck CheckResend(const Challenge& c, Timestamp now, const ChallengePolicy& policy,
                        bool switching_to_email);

// Seconds until a resend is allowed (0 when allowed now), for `resend_in`.
seconds ResendIn(const Challenge& c, Timestamp now, const ChallengePolicy& policy);

}  // namespace twostep::domain
