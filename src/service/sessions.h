// Use cases on an existing session: authenticate an access token, rotate a
// refresh token (reuse of an old one revokes the whole family), sign out,
// read the account. Non-blocking apart from the store. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "base/secret.h"
#include "service/results.h"
#include "service/session_issuer.h"
#include "service/trust.h"
#include "service/work_source.h"

namespace twostep::service {

class Sessions {
 public:
  Sessions(const WorkSource& works, const SessionIssuer& issuer, const DeviceTrust& trust)
      : works_(works), issuer_(issuer), trust_(trust) {}

  // 401 unauthorized unless the token is live (for a use case that writes;
  // reads check the token in their own snapshot: ReadAs).
  Result<Caller> Authenticate(const Secret& access_token);
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
  Result<AccountView> GetAccount(const Secret& access_token);

 private:
  const WorkSource& works_;
  const SessionIssuer& issuer_;
  const DeviceTrust& trust_;
};

}  // namespace twostep::service
