#include "app/reload.h"

#include <algorithm>
#include <set>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "app/config_keys.h"

namespace twostep::app {

namespace {

// The push credential keys of an app: live (app::ReloadPushCredentials).
const std::vector<std::pair<std::string, std::string AppSettings::*>>& PushFields() {
  static const std::vector<std::pair<std::string, std::string AppSettings::*>> fields = {
      {"fcm_service_account_file", &AppSettings::fcm_service_account_file},
      {"apns_key_file", &AppSettings::apns_key_file},
      {"apns_key_id", &AppSettings::apns_key_id},
      {"apns_team_id", &AppSettings::apns_team_id},
      {"apns_topic", &AppSettings::apns_topic}};
  return fields;
}

// Every dynamic key is live: apps.<id>.* (push credentials, display name,
// two_step_default: the policy and the mail composer are replaced whole)
// and rollout.<feature>.<app>.percent (the policy's seeds).
bool IsLive(const std::string& key) {
  const auto& live = LiveKeys();
  return std::find(live.begin(), live.end(), key) != live.end() || key.rfind("apps.", 0) == 0 ||
         key.rfind("rollout.", 0) == 0;
}

// Makes the app `id` of `running` what it is in `next` for the one field
// `name` (an app gone from `next` is gone once applied).
void CopyAppKey(Config& running, const Config& next, const std::string& id, const std::string& name) {
  auto it = next.apps.find(id);
  if (it == next.apps.end()) {
    running.apps.erase(id);
    return;
  }
  AppSettings& to = running.apps[id];
  if (name == "two_step_default") to.two_step_default = it->second.two_step_default;
  if (name == "display_name") to.display_name = it->second.display_name;
  for (const auto& [push_name, field] : PushFields())
    if (name == push_name) to.*field = it->second.*field;
}

// Makes `key` of `running` what it is in `next` (a key that was applied).
void CopyKey(Config& running, const Config& next, const std::string& key) {
  if (key.rfind("apps.", 0) == 0) {
    const auto dot = key.find('.', 5);
    CopyAppKey(running, next, key.substr(5, dot - 5), key.substr(dot + 1));
    return;
  }
  if (key.rfind("rollout.", 0) == 0) {  // rollout.<feature>.<app>.percent
    const std::string seed = key.substr(8, key.size() - 8 - std::string(".percent").size());
    auto it = next.rollout_percent.find(seed);
    if (it == next.rollout_percent.end()) running.rollout_percent.erase(seed);
    else running.rollout_percent[seed] = it->second;
    return;
  }
  const auto spec = keys::FindSpec(key);
  spec->set(running, spec->get(next));
}

// The dynamic keys (apps.<id>.two_step_default, rollout.<feature>.<app>.percent)
// whose value differs, or which one side lacks.
void ChangedDynamicKeys(const Config& a, const Config& b, std::vector<std::string>& out) {
  std::set<std::string> ids;
  for (const auto& [id, s] : a.apps) ids.insert(id);
  for (const auto& [id, s] : b.apps) ids.insert(id);
  for (const auto& id : ids) {
    auto x = a.apps.find(id), y = b.apps.find(id);
    const AppSettings none;
    const AppSettings& p = x == a.apps.end() ? none : x->second;
    const AppSettings& q = y == b.apps.end() ? none : y->second;
    if (x == a.apps.end() || y == b.apps.end() || p.two_step_default != q.two_step_default)
      out.push_back("apps." + id + ".two_step_default");
    if (p.display_name != q.display_name) out.push_back("apps." + id + ".display_name");
    for (const auto& [name, field] : PushFields())
      if (p.*field != q.*field) out.push_back("apps." + id + "." + name);
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
  // or is spdlog's own atomic level; the security.* ones are the use cases'
  // policy (service::LivePolicy). The rest is built into objects at start
  // (pools, listeners, the store, the hasher, the keys): restart.
  static const std::vector<std::string> keys = {
      "log.level",
      "server.trusted_proxies",
      "mail.smtp_url",
      "mail.smtp_user",
      "mail.smtp_password",
      "geoip.databases",
      "geoip.iso3166",
      "security.code_ttl_s",
      "security.max_code_attempts",
      "security.resend_cooldown_s",
      "security.max_sends",
      "security.registrations_per_ip_hour",
      "security.resets_per_ip_hour",
      "security.mails_per_mailbox_hour"};
  return keys;
}

ReloadPlan PlanReload(const Config& running, const Config& next) {
  std::vector<std::string> changed;
  for (const auto& key : ConfigKeys())
    if (ConfigValueText(running, key) != ConfigValueText(next, key)) changed.push_back(key);
  ChangedDynamicKeys(running, next, changed);
  ReloadPlan plan;
  for (auto& key : changed) (IsLive(key) ? plan.live : plan.restart_needed).push_back(std::move(key));
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
  for (const auto& key : plan.live) CopyKey(running_, next, key);
  spdlog::warn(R"({{"event":"reload_applied","applied":{},"restart_needed":{}}})",
               JsonList(plan.live), JsonList(plan.restart_needed));
  return plan;
}

}  // namespace twostep::app
