#include "service/session_issuer.h"

#include "domain/digests.h"
#include "domain/random_values.h"

namespace twostep::service {

IssuedSession IssueTokenPair(Transaction& tx, const ServiceEnv& env,
                             const domain::Account& account, const std::string& family_id,
                             Timestamp now) {
  IssuedSession s;
  s.access_token = domain::GenerateToken(env.random);
  s.refresh_token = domain::GenerateToken(env.random);
  s.expires_in = env.policy.access_ttl;
  s.account_id = account.id;
  s.email = account.email;
  tx.InsertAccessToken(domain::HashToken(s.access_token.Reveal()), family_id,
                       now + env.policy.access_ttl);
  tx.InsertRefreshToken(domain::HashToken(s.refresh_token.Reveal()), family_id,
                        now + env.policy.refresh_ttl);
  return s;
}

IssuedSession IssueSession(Transaction& tx, const ServiceEnv& env, const domain::Account& account,
                           const std::string& device_id, Timestamp now,
                           const std::string& device_secret_hash) {
  domain::TokenFamily family{domain::GenerateId(env.random, "fam"), account.id, device_id, now,
                             device_secret_hash};
  tx.InsertTokenFamily(family);
  return IssueTokenPair(tx, env, account, family.id, now);
}

}  // namespace twostep::service
