#include "service/throttle.h"

namespace twostep::service {

Result<void> CheckLimit(Transaction& tx, const std::string& key, const domain::RateLimit& limit,
                        Timestamp now) {
  auto count = tx.CountHits(key, now - limit.window);
  auto decision = domain::DecideRate(count, now, limit);
  if (decision.allowed) return Ok();
  return Error::RateLimited(decision.retry_after);
}

Result<void> TakeSlot(Transaction& tx, const std::string& key, const domain::RateLimit& limit,
                      Timestamp now) {
  if (auto r = CheckLimit(tx, key, limit, now); !r) return r;
  tx.RecordHit(key, now);
  return Ok();
}

}  // namespace twostep::service
