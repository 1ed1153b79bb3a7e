#include "app/reload.h"

#include <algorithm>
#include <set>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "app/config_keys.h"

namespace twostep::app {

namespace {

// The dynamic keys (apps.<id>.two_step_default, rollout.<feature>.<app>.percent)
// whose value differs, or which one side lacks.
void ChangedDynamicKeys(const Config& a, const Config& b, std::vector<std::string>& out) {
  std::set<std::string> ids;
  for (const auto& [id, s] : a.apps) ids.insert(id);
  for (const auto& [id, s] : b.apps) ids.insert(id);
  for (const auto& id : ids) {
    auto x = a.apps.find(id), y = b.apps.find(id);
    if (x == a.apps.end() || y == b.apps.end() ||
        x->second.two_step_default != y->second.two_step_default)
      out.push_back("apps." + id + ".two_step_default");
  }
  std::set<std::string> rollouts;
  for (const auto& [k, v] : a.rollout_percent) rollouts.insert(k);
  for (const auto& [k, v] : b.rollout_percent) rollouts.insert(k);
  for (const auto& k : rollouts) {
    auto x = a.rollout_percent.find(k), y = b.rollout_percent.find(k);
    if (x == a.rollout_percent.end() || y == b.rollout_percent.end() || x->second != y->second)
      out.push_back("rollout." + k + ".percent");
  }
}

std::string JsonList(const std::vector<std::string>& keys) {
  boost::json::array a;
  for (const auto& k : keys) a.emplace_back(k);
  return boost::json::serialize(a);
}

}  // namespace

const std::vector<std::string>& LiveKeys() {
  // Each is read through a LiveValue or a swappable port (app/swappable_ports.h)
  // or is spdlog's own atomic level. The rest is built into objects at start
  // (pools, listeners, the store, the use cases' policy): restart.
  static const std::vector<std::string> keys = {
      "log.level",       "server.trusted_proxies", "mail.smtp_url",   "mail.smtp_user",
      "mail.smtp_password", "geoip.databases",    "geoip.iso3166"};
  return keys;
}

ReloadPlan PlanReload(const Config& running, const Config& next) {
  std::vector<std::string> changed;
  for (const auto& key : ConfigKeys())
    if (ConfigValueText(running, key) != ConfigValueText(next, key)) changed.push_back(key);
  ChangedDynamicKeys(running, next, changed);
  ReloadPlan plan;
  const auto& live = LiveKeys();
  for (auto& key : changed)
    (std::find(live.begin(), live.end(), key) != live.end() ? plan.live : plan.restart_needed)
        .push_back(std::move(key));
  return plan;
}

Reloader::Reloader(Config running, std::optional<std::string> path,
                   std::map<std::string, std::string> env)
    : running_(std::move(running)), path_(std::move(path)), env_(std::move(env)) {}

void Reloader::OnReload(ReloadHook hook) {
  std::lock_guard lock(mutex_);
  hooks_.push_back(std::move(hook));
}

std::optional<ReloadPlan> Reloader::Reload() {
  std::lock_guard lock(mutex_);
  Config next;
  try {
    next = LoadConfig(path_, env_);
  } catch (const std::exception& e) {
    // ConfigError names the key and the line, never a secret's value.
    spdlog::error(R"({{"event":"reload_refused","error":{},"note":"still running on the previous configuration"}})",
                  boost::json::serialize(boost::json::string(e.what())));
    return std::nullopt;
  }
  ReloadPlan plan = PlanReload(running_, next);
  for (const auto& hook : hooks_) hook(next, plan);
  // What was applied becomes the running configuration; keys that need a
  // restart keep their running value, so a later reload names them again.
  for (const auto& key : plan.live) {
    const auto spec = keys::FindSpec(key);
    spec->set(running_, spec->get(next));
  }
  spdlog::warn(R"({{"event":"reload_applied","applied":{},"restart_needed":{}}})",
               JsonList(plan.live), JsonList(plan.restart_needed));
  return plan;
}

}  // namespace twostep::app
