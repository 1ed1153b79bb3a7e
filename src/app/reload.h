// Reloading the configuration on SIGHUP (SPEC §4, issue #22): the file and
// the environment are read again exactly as at start; a configuration that
// does not load is refused (logged `reload_refused` with the reason) and
// the server keeps running on the one it has; otherwise each changed key is
// applied live when it can be, and the others are named in the log as
// needing a restart (`reload_applied`: `applied`, `restart_needed`). Key
// names only: values (secrets among them) never appear in the log.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/config.h"

namespace twostep::app {

// The fixed keys that a reload applies without a restart; the dynamic keys
// are live too: every apps.<id>.* (push credentials, display_name,
// two_step_default) and rollout.<feature>.<app>.percent.
const std::vector<std::string>& LiveKeys();

struct ReloadPlan {
  std::vector<std::string> live;            // changed, applied now
  std::vector<std::string> restart_needed;  // changed, kept until a restart
};

// Which keys differ between `running` and `next`, split by whether they
// apply live. Pure.
ReloadPlan PlanReload(const Config& running, const Config& next);

// Applies a new configuration's live keys to one part of the server (the
// log, the HTTP server, the mail transport...). Runs on the reload thread;
// must not throw for a configuration that loaded (log and keep the old
// value instead).
using ReloadHook = std::function<void(const Config& next, const ReloadPlan& plan)>;

class Reloader {
 public:
  // `running`: the configuration the server started with; `path` and `env`
  // are read again at each reload.
  Reloader(Config running, std::optional<std::string> path,
           std::map<std::string, std::string> env);

  // Adds a part to tell (before the first reload). Other parts of the
  // server (push credentials, app names) hook in here.
  void OnReload(ReloadHook hook);
  // Re-reads and applies; returns the plan, or nullopt when refused.
  // Thread-safe (reloads are serialised).
  std::optional<ReloadPlan> Reload();

 private:
  std::mutex mutex_;
  Config running_;  // GUARDED_BY(mutex_): the live keys as last applied
  const std::optional<std::string> path_;
  const std::map<std::string, std::string> env_;
  std::vector<ReloadHook> hooks_;
};

}  // namespace twostep::app
