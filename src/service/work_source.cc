#include "service/work_source.h"

#include "domain/digests.h"

namespace twostep::service {

std::optional<std::string> AccessTokenHash(const Secret& access_token) {
  if (access_token.empty() || access_token.size() > 256) return std::nullopt;
  return domain::HashToken(access_token.Reveal());
}

Result<Caller> Authenticate(Transaction& tx, const Secret& access_token, Timestamp now) {
  auto hash = AccessTokenHash(access_token);
  if (!hash) return Error::Unauthorized();
  auto grant = tx.FindValidAccess(*hash, now);
  if (!grant) return Error::Unauthorized();
  return Caller{grant->account_id, grant->family_id, grant->device_id, grant->device_secret_hash};
}

}  // namespace twostep::service
