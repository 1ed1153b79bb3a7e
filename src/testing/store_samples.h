// Sample records for the store tests.
#pragma once

#include <string>

#include "base/time.h"
#include "domain/account.h"

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

}  // namespace twostep::testing
