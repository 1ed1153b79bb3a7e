// Operators' rollout of features per app (U15) and its question: is the
// feature available to this account from this app? Rollouts live in the
// store, so every instance agrees and a change needs no restart.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "domain/account.h"
#include "domain/rollout.h"
#include "ports/store.h"
#include "service/security_policy.h"
#include "service/work_source.h"

namespace twostep::service {

// The rollout of `feature` for `app`: the stored one, else the configured
// initial percentage, else 100 %.
domain::Rollout RolloutOf(Transaction& tx, const SecurityPolicy& policy, const std::string& feature,
                          const std::string& app);
// The same, from the `stored` rollout already read (none: not stored).
domain::Rollout RolloutOf(std::optional<domain::Rollout> stored, const SecurityPolicy& policy,
                          const std::string& feature, const std::string& app);

bool TwoStepAvailable(Transaction& tx, const SecurityPolicy& policy, const domain::Account& account,
                      const std::string& app);
// The same, under `rollout`, the two-step rollout for the caller's app.
bool TwoStepAvailable(const domain::Rollout& rollout, const domain::Account& account);

class Rollouts {
 public:
  explicit Rollouts(const WorkSource& works) : works_(works) {}
  // 404 for an unknown feature or app.
  Result<domain::Rollout> Get(const std::string& feature, const std::string& app);
  // 400 for percent outside 0..100 or an invalid email in `allow`.
  Result<domain::Rollout> Put(const std::string& feature, const std::string& app, int percent,
                              const std::vector<std::string>& allow);

 private:
  Result<void> CheckKnown(const std::string& feature, const std::string& app) const;
  const WorkSource& works_;
};

}  // namespace twostep::service
