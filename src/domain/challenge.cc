#include "domain/challenge.h"

#include <array>
#include <utility>

namespace twostep::domain {

namespace {
template <typename E, size_t N>
std::optional<E> Parse(const std::array<std::pair<E, std::string_view>, N>& table,
                       std::string_view s) {
  for (const auto& [e, name] : table)
    if (name == s) return e;
  return std::nullopt;
}
template <typename E, size_t N>
std::string_view Name(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
  for (const auto& [v, name] : table)
    if (v == e) return name;
  return "unknown";
}

constexpr std::array<std::pair<ChallengePurpose, std::string_view>, 4> kPurposes{{
    {ChallengePurpose::kRegistration, "registration"},
    {ChallengePurpose::kEnableTwoStep, "enable_two_step"},
    {ChallengePurpose::kSignIn, "sign_in"},
    {ChallengePurpose::kPasswordReset, "password_reset"},
}};
constexpr std::array<std::pair<ChallengeMethod, std::string_view>, 2> kMethods{{
    {ChallengeMethod::kApp, "app"},
    {ChallengeMethod::kEmail, "email"},
}};
constexpr std::array<std::pair<ChallengeState, std::string_view>, 5> kStates{{
    {ChallengeState::kPending, "pending"},
    {ChallengeState::kVerified, "verified"},
    {ChallengeState::kDenied, "denied"},
    {ChallengeState::kExpired, "expired"},
    {ChallengeState::kExhausted, "exhausted"},
}};
}  // namespace

std::string_view PurposeName(ChallengePurpose p) { return Name(kPurposes, p); }
std::optional<ChallengePurpose> ParsePurpose(std::string_view s) { return Parse(kPurposes, s); }
std::string_view MethodName(ChallengeMethod m) { return Name(kMethods, m); }
std::optional<ChallengeMethod> ParseMethod(std::string_view s) { return Parse(kMethods, s); }
std::string_view StateName(ChallengeState s) { return Name(kStates, s); }
std::optional<ChallengeState> ParseState(std::string_view s) { return Parse(kStates, s); }

bool IsOpen(const Challenge& c, Timestamp now) {
  return c.state == ChallengeState::kPending && now < c.expires_at;
}

AttemptResult ApplyCodeAttempt(const Challenge& c, bool code_matches, Timestamp now) {
  AttemptResult r{AttemptOutcome::kExpired, c};
  if (c.state == ChallengeState::kDenied) {
    r.outcome = AttemptOutcome::kDenied;
    return r;
  }
  if (c.state != ChallengeState::kPending) return r;
  if (now >= c.expires_at) {
    r.updated.state = ChallengeState::kExpired;
    r.updated.sealed_code.clear();
    return r;
  }
  if (code_matches) {
    r.outcome = AttemptOutcome::kVerified;
    r.updated.state = ChallengeState::kVerified;
    r.updated.sealed_code.clear();
    return r;
  }
  r.updated.attempts_left = c.attempts_left > 0 ? c.attempts_left - 1 : 0;
  if (r.updated.attempts_left == 0) {
    r.outcome = AttemptOutcome::kExhausted;
    r.updated.state = ChallengeState::kExhausted;
    r.updated.sealed_code.clear();
  } else {
    r.outcome = AttemptOutcome::kWrongCode;
  }
  return r;
}

seconds ResendIn(const Challenge& c, Timestamp now, const ChallengePolicy& policy) {
  auto ready_at = c.last_sent_at + policy.resend_cooldown;
  if (now >= ready_at) return seconds(0);
  return std::chrono::ceil<seconds>(ready_at - now);
}

bool IsFreeSwitchToEmail(const Challenge& c, ChallengeMethod method) {
  return method == ChallengeMethod::kEmail && c.method == ChallengeMethod::kApp &&
         !c.switched_to_email;
}

void MarkSent(Challenge& c, ChallengeMethod method, Timestamp now) {
  if (IsFreeSwitchToEmail(c, method)) c.switched_to_email = true;
  c.method = method;
  c.last_sent_at = now;
  ++c.sends;
}

Challenge NewChallenge(std::string id, std::string account_id, ChallengePurpose purpose,
                       ChallengeMethod method, Timestamp now, const ChallengePolicy& policy,
                       DeviceDescription requester, std::string requester_ip) {
  Challenge c;
  c.id = std::move(id);
  c.account_id = std::move(account_id);
  c.purpose = purpose;
  c.method = method;
  c.state = ChallengeState::kPending;
  c.attempts_left = policy.max_attempts;
  c.sends = 1;
  c.created_at = c.last_sent_at = now;
  c.expires_at = now + policy.ttl;
  c.requester = std::move(requester);
  c.requester_ip = std::move(requester_ip);
  return c;
}

std::optional<Challenge> Deny(const Challenge& c, Timestamp now) {
  if (!IsOpen(c, now)) return std::nullopt;
  Challenge d = c;
  d.state = ChallengeState::kDenied;
  d.sealed_code.clear();
  d.code_hash.clear();
  return d;
}

Challenge Supersede(const Challenge& c) {
  Challenge d = c;
  d.state = ChallengeState::kExpired;
  d.code_hash.clear();
  d.sealed_code.clear();
  d.password_hash.clear();
  return d;
}

ResendCheck CheckResend(const Challenge& c, ChallengeMethod method, Timestamp now,
                        const ChallengePolicy& policy) {
  const bool switching_to_email = IsFreeSwitchToEmail(c, method);
  if (!IsOpen(c, now)) return {ResendDecision::kClosed};
  if (c.sends >= policy.max_sends) {
    return {ResendDecision::kTooManySends,
            std::chrono::ceil<seconds>(c.expires_at - now)};
  }
  if (switching_to_email) return {ResendDecision::kAllowed};
  seconds wait = ResendIn(c, now, policy);
  if (wait > seconds(0)) return {ResendDecision::kCoolingDown, wait};
  return {ResendDecision::kAllowed};
}

}  // namespace twostep::domain
