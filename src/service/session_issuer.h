// Issues a new sign-in session (token family + access + refresh token) or
// rotates one, inside the caller's transaction.
#pragma once

#include "domain/account.h"
#include "ports/store.h"
#include "service/results.h"
#include "service/service_env.h"

namespace twostep::service {

// Creates a new family for (account, device) and its first token pair.
IssuedSession IssueSession(Transaction& tx, const ServiceEnv& env, const domain::Account& account,
                           const std::string& device_id, Timestamp now);

// Adds a fresh token pair to an existing family (refresh rotation).
IssuedSession IssueTokenPair(Transaction& tx, const ServiceEnv& env,
                             const domain::Account& account, const std::string& family_id,
                             Timestamp now);

}  // namespace twostep::service
