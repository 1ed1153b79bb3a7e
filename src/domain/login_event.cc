#include "domain/login_event.h"

#include <array>
#include <utility>

namespace twostep::domain {

namespace {
template <typename E, size_t N>
using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<LoginEventKind, 8> kKinds{{
    {LoginEventKind::kSignIn, "sign_in"},
    {LoginEventKind::kChallengeSent, "challenge_sent"},
    {LoginEventKind::kCodeFailed, "code_failed"},
    {LoginEventKind::kChallengeDenied, "challenge_denied"},
    {LoginEventKind::kDeviceRemoved, "device_removed"},
    {LoginEventKind::kTwoStepChange, "two_step_change"},
    {LoginEventKind::kPasswordChange, "password_change"},
    {LoginEventKind::kPasswordReset, "password_reset"},
}};
constexpr Names<LoginOutcome, 10> kOutcomes{{
    {LoginOutcome::kSuccess, "success"},
    {LoginOutcome::kFailed, "failed"},
    {LoginOutcome::kChallenged, "challenged"},
    {LoginOutcome::kSent, "sent"},
    {LoginOutcome::kResent, "resent"},
    {LoginOutcome::kInvalidCode, "invalid_code"},
    {LoginOutcome::kDenied, "denied"},
    {LoginOutcome::kRemoved, "removed"},
    {LoginOutcome::kEnabled, "enabled"},
    {LoginOutcome::kDisabled, "disabled"},
}};
constexpr Names<LoginMethod, 4> kMethods{{
    {LoginMethod::kNone, ""},
    {LoginMethod::kPassword, "password"},
    {LoginMethod::kApp, "app"},
    {LoginMethod::kEmail, "email"},
}};

template <typename E, size_t N>
std::string_view Find(const Names<E, N>& names, E e) {
  for (const auto& [v, name] : names)
    if (v == e) return name;
  return "unknown";
}
template <typename E, size_t N>
std::optional<E> Parse(const Names<E, N>& names, std::string_view s) {
  for (const auto& [v, name] : names)
    if (name == s) return v;
  return std::nullopt;
}
}  // namespace

std::string_view NameOf(LoginEventKind kind) { return Find(kKinds, kind); }
std::string_view NameOf(LoginOutcome outcome) { return Find(kOutcomes, outcome); }
std::string_view NameOf(LoginMethod method) { return Find(kMethods, method); }
std::optional<LoginEventKind> ParseLoginEventKind(std::string_view s) { return Parse(kKinds, s); }
std::optional<LoginOutcome> ParseLoginOutcome(std::string_view s) { return Parse(kOutcomes, s); }
std::optional<LoginMethod> ParseLoginMethod(std::string_view s) { return Parse(kMethods, s); }

LoginEvent LoginEvent::SignIn(std::string account_id, Timestamp at,
                              const DeviceDescription& device, std::string ip,
                              LoginOutcome outcome, bool trusted) {
  return {0, std::move(account_id), at, LoginEventKind::kSignIn, outcome, device, std::move(ip),
          trusted, LoginMethod::kPassword};
}

LoginEvent LoginEvent::OfChallenge(const Challenge& c, Timestamp at, LoginEventKind kind,
                                   LoginOutcome outcome) {
  const auto method = c.method == ChallengeMethod::kApp ? LoginMethod::kApp : LoginMethod::kEmail;
  return {0, c.account_id, at, kind, outcome, c.requester, c.requester_ip, false, method};
}

LoginEvent LoginEvent::Password(std::string account_id, Timestamp at, LoginEventKind kind,
                                LoginOutcome outcome, std::string ip) {
  return {0, std::move(account_id), at, kind, outcome, {}, std::move(ip), false,
          LoginMethod::kPassword};
}

LoginEvent LoginEvent::TwoStepSwitch(std::string account_id, Timestamp at,
                                     const DeviceDescription& device, LoginOutcome outcome,
                                     std::string ip) {
  return {0, std::move(account_id), at, LoginEventKind::kTwoStepChange, outcome, device,
          std::move(ip), false, LoginMethod::kNone};
}

LoginEvent LoginEvent::DeviceRemoved(std::string account_id, Timestamp at,
                                     const DeviceDescription& device, std::string ip) {
  return {0, std::move(account_id), at, LoginEventKind::kDeviceRemoved, LoginOutcome::kRemoved,
          device, std::move(ip), false, LoginMethod::kNone};
}

}  // namespace twostep::domain
