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
  std::string key_id;       // ServerKeys::key_id of the pair that made code_hash and sealed_code
  int attempts_left = 5;
  int sends = 1;
  Timestamp created_at;
  Timestamp expires_at;
  Timestamp last_sent_at;
  // Who asked (sign-in challenges): shown on trusted devices.
  DeviceDescription requester;
  std::string requester_ip;
  // The address the code went to (normalised): for a password reset the
  // new password is judged against it, real or decoy alike.
  std::string email;
  // Registration: the app that registered (its defaults follow the
  // registration that is confirmed).
  std::string app;
  // Sign-in: the free first switch from the app to email was used (U7).
  bool switched_to_email = false;
  // Registration: the Argon2id hash of the password this registration chose.
  // The account takes it only when this challenge is confirmed (U1), so
  // whoever registers an address cannot choose its mailbox owner's password.
  std::string password_hash;
  // Registration: the language and time zone this registration chose
  // (U17); the account takes them when this challenge is confirmed, like
  // its password. Empty for other purposes.
  std::string locale;
  std::string time_zone;
};

// A new pending challenge: `policy`'s lifetime and attempts, one send now.
// The caller sets the code (code_hash, sealed_code) and the purpose's fields.
Challenge NewChallenge(std::string id, std::string account_id, ChallengePurpose purpose,
                       ChallengeMethod method, Timestamp now, const ChallengePolicy& policy,
                       DeviceDescription requester, std::string requester_ip);

// "This wasn't me" (U8): an open challenge becomes denied and its sealed code
// and code hash are wiped. nullopt when it is no longer open.
std::optional<Challenge> Deny(const Challenge& c, Timestamp now);

// Ends a challenge that another one superseded (U1: the other open
// registrations of an address once one is confirmed): expired, with its
// code and any carried password hash wiped.
Challenge Supersede(const Challenge& c);

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
// Whether a new code may be sent now by `method`. The first "Did not
// receive a code?" switch from the app channel to email is allowed at once
// (U7); `free_switch` tells the caller it is that one (then MarkSent records
// it in `switched_to_email`).
ResendCheck CheckResend(const Challenge& c, ChallengeMethod method, Timestamp now,
                        const ChallengePolicy& policy);
bool IsFreeSwitchToEmail(const Challenge& c, ChallengeMethod method);
// Records one more send by `method` at `now` (the caller sets the new code).
void MarkSent(Challenge& c, ChallengeMethod method, Timestamp now);

// Seconds until a resend is allowed (0 when allowed now), for `resend_in`.
seconds ResendIn(const Challenge& c, Timestamp now, const ChallengePolicy& policy);

}  // namespace twostep::domain
