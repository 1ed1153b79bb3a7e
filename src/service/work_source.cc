#include "service/work_source.h"

#include "domain/digests.h"

namespace twostep::service {

Result<Caller> Authenticate(Transaction& tx, const Secret& access_token, Timestamp now) {
  if (access_token.empty() || access_token.size() > 256) return Error::Unauthorized();
  auto grant = tx.FindValidAccess(domain::HashToken(access_token.Reveal()), now);
  if (!grant) return Error::Unauthorized();
  return Caller{grant->account_id, grant->family_id, grant->device_id, grant->device_secret_hash};
}

}  // namespace twostep::service
