// Sample records for the store tests.
#pragma once

#include <string>

#include "base/time.h"
#include "domain/account.h"
#include "domain/challenge.h"

namespace twostep::testing {

inline const Timestamp kStoreT0 = FromMillis(1'800'000'000'000);

inline domain::Account SampleAccount(std::string id, std::string email) {
  domain::Account a;
  a.id = std::move(id);
  a.email = std::move(email);
  a.password_hash = "hash";
  a.created_at = kStoreT0;
  a.password_changed_at = kStoreT0;
  a.registered_app = "kasa";
  return a;
}

inline domain::Challenge SampleChallenge(std::string id, std::string account_id) {
  domain::Challenge c;
  c.id = std::move(id);
  c.account_id = std::move(account_id);
  c.purpose = domain::ChallengePurpose::kSignIn;
  c.method = domain::ChallengeMethod::kApp;
  c.code_hash = "abc";
  c.sealed_code = "sealed";
  c.attempts_left = 5;
  c.sends = 0;
  c.created_at = c.last_sent_at = kStoreT0;
  c.expires_at = kStoreT0 + minutes(10);
  c.requester = {"device-9", "Pixel 8", "GKWS6", "Android 15", "kasa", "3.4.1"};
  c.requester_ip = "203.0.113.5";
  return c;
}

}  // namespace twostep::testing
