// Issues a new sign-in session (token family + access + refresh token) or
// rotates one, inside the caller's unit of work.
#pragma once

#include <string>

#include "base/random.h"
#include "domain/account.h"
#include "service/results.h"
#include "service/security_policy.h"
#include "service/unit_of_work.h"

namespace twostep::service {

class SessionIssuer {
 public:
  explicit SessionIssuer(Random& random) : random_(random) {}

  // Creates a new family for (account, device) and its first token pair.
  // `device_secret_hash`: the hash of the device secret the sign-in
  // presented or was just issued (empty when none): only then does the
  // session act as that trusted device.
  IssuedSession Issue(UnitOfWork& work, const domain::Account& account,
                      const std::string& device_id, const std::string& device_secret_hash = {}) const;

  // Adds a fresh token pair to an existing family (refresh rotation).
  IssuedSession IssuePair(UnitOfWork& work, const domain::Account& account,
                          const std::string& family_id) const;

 private:
  Random& random_;
};

}  // namespace twostep::service
