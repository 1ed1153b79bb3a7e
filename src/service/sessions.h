// Use cases on an existing session: authenticate an access token, rotate a
// refresh token (reuse of an old one revokes the whole family), sign out,
// read the account. Non-blocking apart from the store. Thread-safe.
#pragma once

#include <string>

#include "base/result.h"
#include "base/secret.h"
#include "service/results.h"
#include "service/service_env.h"

namespace twostep::service {

class Sessions {
 public:
  explicit Sessions(const ServiceEnv& env) : env_(env) {}

  // 401 unauthorized unless the token is live. The second form checks it in
  // the caller's transaction, so that an authenticated read costs one
  // transaction, not two.
  Result<Caller> Authenticate(const Secret& access_token);
  Result<Caller> Authenticate(Transaction& tx, const Secret& access_token);
  // 401 unauthorized for unknown, expired, revoked or reused tokens; a reused
  // (already rotated) token also revokes its family.
  Result<IssuedSession> Refresh(const Secret& refresh_token);
  void SignOut(const Caller& caller);
  // Read in the caller's transaction (the one that checked the token).
  Result<AccountView> GetAccount(Transaction& tx, const Caller& caller);

 private:
  const ServiceEnv& env_;
};

}  // namespace twostep::service
