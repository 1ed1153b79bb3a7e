// SecurityPolicy: the numbers of SPEC §2 that the use cases apply, filled
// from configuration (app/server_app.cc) at start and again by each reload
// (SIGHUP, issue #22). A policy value never changes: a reload publishes a
// whole new one (LivePolicy), and each unit of work pins the snapshot it
// started with (UnitOfWork::policy), so a request never mixes two.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "base/live_value.h"

#include "base/time.h"
#include "domain/account.h"
#include "domain/challenge.h"
#include "domain/password_policy.h"
#include "domain/rate_limit.h"

namespace twostep::service {

struct SecurityPolicy {
  domain::ChallengePolicy challenge;
  domain::PasswordRules password;
  domain::RateLimit password_failures_per_account{10, minutes(15)};
  domain::RateLimit password_failures_per_ip{100, minutes(15)};
  domain::RateLimit email_codes_per_purpose{5, hours(1)};
  domain::RateLimit sign_in_challenges{10, hours(1)};
  // Floods (issue 23): registrations and reset requests per client IP; code
  // and "already registered" mails per mailbox (domain::MailboxOf). Over the
  // mailbox limit the request answers as usual and no mail is sent.
  domain::RateLimit registrations_per_ip{20, hours(1)};
  domain::RateLimit resets_per_ip{20, hours(1)};
  domain::RateLimit mails_per_mailbox{10, hours(1)};
  // Wrong codes in a row across an account's challenges (SPEC §2).
  domain::WrongCodePolicy wrong_codes;
  // A trusted device unused this long is no longer trusted.
  seconds trusted_device_idle{180 * 24 * 3600};
  seconds access_ttl{15 * 60};
  seconds refresh_ttl{30 * 24 * 3600};
  // Known apps and whether two-step is on by default for accounts they
  // register (SPEC U16). Registration from an app not listed is refused.
  std::map<std::string, bool> app_two_step_default{{"kasa", false}, {"aginet", true}};
  // "feature.app" → initial rollout percentage until the admin API sets one.
  std::map<std::string, int> initial_rollout_percent;
};

// The policy in force; a reload replaces it (app/server_app.cc).
using LivePolicy = LiveValue<SecurityPolicy>;
// One request's policy: immutable, never null.
using PolicySnapshot = std::shared_ptr<const SecurityPolicy>;

}  // namespace twostep::service
