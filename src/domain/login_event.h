// LoginEvent: one line of Login Activity (U11). What happened and how it
// ended are enums with stable names (the names are what the store keeps and
// the API shows); each thing that happens has its own named constructor, so
// an event is written the same way wherever it is recorded (in the spirit
// of leveldb's Status::NotFound).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/time.h"
#include "domain/challenge.h"
#include "domain/device.h"

namespace twostep::domain {

enum class LoginEventKind {
  kSignIn, kChallengeSent, kCodeFailed, kChallengeDenied, kDeviceRemoved, kTwoStepChange,
  kPasswordChange, kPasswordReset,
};
enum class LoginOutcome {
  kSuccess, kFailed, kChallenged, kSent, kResent, kInvalidCode, kDenied, kRemoved, kEnabled,
  kDisabled,
};
// How the user proved themselves, when that applies.
enum class LoginMethod { kNone, kPassword, kApp, kEmail };

std::string_view NameOf(LoginEventKind kind);
std::string_view NameOf(LoginOutcome outcome);
std::string_view NameOf(LoginMethod method);
std::optional<LoginEventKind> ParseLoginEventKind(std::string_view name);
std::optional<LoginOutcome> ParseLoginOutcome(std::string_view name);
std::optional<LoginMethod> ParseLoginMethod(std::string_view name);

struct LoginEvent {
  int64_t id = 0;  // assigned by the store; increases with every event
  std::string account_id;
  Timestamp at;
  LoginEventKind kind = LoginEventKind::kSignIn;
  LoginOutcome outcome = LoginOutcome::kSuccess;
  DeviceDescription device;
  std::string ip;
  bool trusted = false;
  LoginMethod method = LoginMethod::kNone;

  // A password sign-in from `device` (success, challenged or failed).
  static LoginEvent SignIn(std::string account_id, Timestamp at, const DeviceDescription& device,
                           std::string ip, LoginOutcome outcome, bool trusted);
  // Something that happened to challenge `c` (sent, resent, a wrong code, a
  // sign-in by code, denied): its requester and its channel.
  static LoginEvent OfChallenge(const Challenge& c, Timestamp at, LoginEventKind kind,
                                LoginOutcome outcome);
  // A password changed or reset (success or a wrong current password).
  static LoginEvent Password(std::string account_id, Timestamp at, LoginEventKind kind,
                             LoginOutcome outcome, std::string ip);
  // Two-Step Verification switched (enabled, disabled, or a wrong password).
  static LoginEvent TwoStepSwitch(std::string account_id, Timestamp at,
                                  const DeviceDescription& device, LoginOutcome outcome,
                                  std::string ip);
  // A trusted device removed from the list.
  static LoginEvent DeviceRemoved(std::string account_id, Timestamp at,
                                  const DeviceDescription& device, std::string ip);
};

}  // namespace twostep::domain
