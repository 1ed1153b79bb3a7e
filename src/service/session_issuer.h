// Issues a new sign-in session (token family + access + refresh token) or
// rotates one, inside the caller's transaction.
#pragma once

#include "domain/account.h"
#include "ports/store.h"
#include "service/results.h"
#include "service/service_env.h"

namespace twostep::service {

// Creates a new family for (account, device) and its first token pair.
// `device_secret_hash`: the hash of the device secret the sign-in presented
// or was just issued (empty when none): only then does the session act as
// that trusted device.
IssuedSession IssueSession(UnitOfWork& work, const ServiceEnv& env,
                           const domain::Account& account, const std::string& device_id,
                           const std::string& device_secret_hash = {});

// Adds a fresh token pair to an existing family (refresh rotation).
IssuedSession IssueTokenPair(UnitOfWork& work, const ServiceEnv& env,
                             const domain::Account& account, const std::string& family_id);

}  // namespace twostep::service
