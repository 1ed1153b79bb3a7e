// Sliding-window rate limits. The store counts the hits of a key inside the
// window; this decides, purely, whether one more is allowed and when to retry.
#pragma once

#include <optional>
#include <string>

#include "base/time.h"

namespace twostep::domain {

struct RateLimit {
  int limit;
  seconds window;
};

struct WindowCount {
  int hits = 0;                      // hits with at > now - window
  std::optional<Timestamp> oldest;   // oldest of those hits
};

struct RateDecision {
  bool allowed;
  seconds retry_after{0};  // when !allowed: until the oldest hit leaves the window
};

RateDecision DecideRate(const WindowCount& count, Timestamp now, const RateLimit& limit);

// Keys of the limits of SPEC §2, so every caller names them the same way.
std::string PasswordFailuresByAccountKey(const std::string& email);
std::string PasswordFailuresByIpKey(const std::string& ip);
std::string EmailCodesKey(const std::string& purpose, const std::string& email);
std::string SignInChallengesKey(const std::string& account_id);
// Flood limits: registrations and reset requests per client IP, and code or
// "already registered" mails per mailbox (MailboxOf, domain/email_address.h).
std::string RegistrationsByIpKey(const std::string& ip);
std::string ResetsByIpKey(const std::string& ip);
std::string MailsToMailboxKey(const std::string& mailbox);

}  // namespace twostep::domain
