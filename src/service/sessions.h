// Use cases on an existing session: authenticate an access token, rotate a
// refresh token (reuse of an old one revokes the whole family), sign out,
// read the account. Non-blocking apart from the store. Thread-safe.
#pragma once

#include <string>
#include <vector>

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
  // For the live channel (/v1/notifications): the caller and whether its
  // session acts as its trusted device. 403 forbidden when the device is a
  // trusted device but this session did not present its secret (U9): it
  // must not take over that device's connection or see its codes.
  Result<DeviceSession> AuthenticateDevice(const Secret& access_token);
  // Of the given sessions (token families), those that have ended: revoked,
  // or without a usable refresh token at `now` (their refresh family expired).
  std::vector<std::string> EndedSessions(const std::vector<std::string>& family_ids);
  // 401 unauthorized for unknown, expired, revoked or reused tokens; a reused
  // (already rotated) token also revokes its family, and the live connection
  // of that session gets signed_out (session_ended).
  Result<IssuedSession> Refresh(const Secret& refresh_token);
  void SignOut(const Caller& caller);
  // Read in the caller's transaction (the one that checked the token).
  Result<AccountView> GetAccount(Transaction& tx, const Caller& caller);

 private:
  const ServiceEnv& env_;
};

}  // namespace twostep::service
