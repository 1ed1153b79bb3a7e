#include "service/session_issuer.h"

#include "domain/digests.h"
#include "domain/random_values.h"

namespace twostep::service {

IssuedSession SessionIssuer::IssuePair(UnitOfWork& work, const domain::Account& account,
                                       const std::string& family_id) const {
  const Timestamp now = work.now();
  IssuedSession s;
  s.access_token = domain::GenerateToken(random_);
  s.refresh_token = domain::GenerateToken(random_);
  s.expires_in = work.policy().access_ttl;
  s.account_id = account.id;
  s.email = account.email;
  work->InsertAccessToken(domain::HashToken(s.access_token.Reveal()), family_id,
                          now + work.policy().access_ttl);
  work->InsertRefreshToken(domain::HashToken(s.refresh_token.Reveal()), family_id,
                           now + work.policy().refresh_ttl);
  return s;
}

IssuedSession SessionIssuer::Issue(UnitOfWork& work, const domain::Account& account,
                                   const std::string& device_id,
                                   const std::string& device_secret_hash) const {
  domain::TokenFamily family{domain::GenerateId(random_, "fam"), account.id, device_id,
                             work.now(), device_secret_hash};
  work->InsertTokenFamily(family);
  return IssuePair(work, account, family.id);
}

}  // namespace twostep::service
