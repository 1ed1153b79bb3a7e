#include "service/session_issuer.h"

#include "domain/digests.h"
#include "domain/random_values.h"

namespace twostep::service {

IssuedSession IssueTokenPair(UnitOfWork& work, const ServiceEnv& env,
                             const domain::Account& account, const std::string& family_id) {
  const Timestamp now = work.now();
  IssuedSession s;
  s.access_token = domain::GenerateToken(env.random);
  s.refresh_token = domain::GenerateToken(env.random);
  s.expires_in = env.policy.access_ttl;
  s.account_id = account.id;
  s.email = account.email;
  work->InsertAccessToken(domain::HashToken(s.access_token.Reveal()), family_id,
                       now + env.policy.access_ttl);
  work->InsertRefreshToken(domain::HashToken(s.refresh_token.Reveal()), family_id,
                        now + env.policy.refresh_ttl);
  return s;
}

IssuedSession IssueSession(UnitOfWork& work, const ServiceEnv& env,
                           const domain::Account& account, const std::string& device_id,
                           const std::string& device_secret_hash) {
  domain::TokenFamily family{domain::GenerateId(env.random, "fam"), account.id, device_id,
                             work.now(), device_secret_hash};
  work->InsertTokenFamily(family);
  return IssueTokenPair(work, env, account, family.id);
}

}  // namespace twostep::service
