#include "domain/rollout.h"

#include <algorithm>
#include <string>

#include <sodium.h>

namespace twostep::domain {

int RolloutBucket(std::string_view feature, std::string_view account_id) {
  std::string input = std::string(feature) + ":" + std::string(account_id);
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(input.data()), input.size());
  uint32_t v = (uint32_t{h[0]} << 24) | (uint32_t{h[1]} << 16) | (uint32_t{h[2]} << 8) | h[3];
  return static_cast<int>(v % 100);
}

bool InRollout(const Rollout& rollout, std::string_view account_id, std::string_view email) {
  if (std::find(rollout.allow.begin(), rollout.allow.end(), email) != rollout.allow.end())
    return true;
  return RolloutBucket(rollout.feature, account_id) < rollout.percent;
}

}  // namespace twostep::domain
