#include "service/rollouts.h"

#include "domain/email_address.h"

namespace twostep::service {

domain::Rollout RolloutOf(Transaction& tx, const SecurityPolicy& policy, const std::string& feature,
                          const std::string& app) {
  return RolloutOf(tx.FindRollout(feature, app), policy, feature, app);
}

domain::Rollout RolloutOf(std::optional<domain::Rollout> stored, const SecurityPolicy& policy,
                          const std::string& feature, const std::string& app) {
  if (stored) return std::move(*stored);
  domain::Rollout r{feature, app, 100, {}};
  auto it = policy.initial_rollout_percent.find(feature + "." + app);
  if (it != policy.initial_rollout_percent.end()) r.percent = it->second;
  return r;
}

bool TwoStepAvailable(Transaction& tx, const SecurityPolicy& policy, const domain::Account& account,
                      const std::string& app) {
  return TwoStepAvailable(RolloutOf(tx, policy, std::string(domain::kTwoStepFeature), app), account);
}

bool TwoStepAvailable(const domain::Rollout& rollout, const domain::Account& account) {
  return domain::InRollout(rollout, account.id, account.email);
}

Result<void> Rollouts::CheckKnown(const std::string& feature, const std::string& app) const {
  if (feature != domain::kTwoStepFeature) return Error::NotFound("Unknown feature.");
  if (!works_.Policy()->app_two_step_default.count(app)) return Error::NotFound("Unknown app.");
  return Ok();
}

Result<domain::Rollout> Rollouts::Get(const std::string& feature, const std::string& app) {
  if (auto known = CheckKnown(feature, app); !known) return std::move(known).error();
  auto snapshot = works_.Read();
  return RolloutOf(snapshot.tx(), snapshot.policy(), feature, app);
}

Result<domain::Rollout> Rollouts::Put(const std::string& feature, const std::string& app,
                                      int percent, const std::vector<std::string>& allow) {
  if (auto known = CheckKnown(feature, app); !known) return std::move(known).error();
  if (percent < 0 || percent > 100) return Error::InvalidRequest("percent must be 0 to 100.");
  if (allow.size() > 10000) return Error::InvalidRequest("The allow-list is too long.");
  domain::Rollout r{feature, app, percent, {}};
  for (const auto& raw : allow) {
    auto e = domain::NormalizeEmail(raw);
    if (!e) return Error::InvalidRequest("allow: " + e.error().detail);
    if (std::find(r.allow.begin(), r.allow.end(), *e) == r.allow.end()) r.allow.push_back(*e);
  }
  auto work = works_.Begin();
  work->PutRollout(r);
  work.Commit();
  return r;
}

}  // namespace twostep::service
