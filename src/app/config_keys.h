// The table of configuration keys (internal to app/config.cc): each key's
// name, type, range, meaning and the Config field it sets and reads, and
// the names of the environment variables. A key has no default of its own:
// its field's initialiser in Config is the default. Read-only after the
// first call; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "app/config.h"

namespace twostep::app::keys {

enum class Kind { kString, kInt, kBool, kList };
using Value = std::variant<std::string, int64_t, bool, std::vector<std::string>>;

struct KeySpec {
  std::string key;
  Kind kind;
  std::string help;
  int64_t min = 0;  // kInt: the range, both ends allowed
  int64_t max = 0;
  bool secret = false;  // its value never appears in an error
  std::function<void(Config&, const Value&)> set;
  std::function<Value(const Config&)> get;  // empty for the dynamic keys
};

// The fixed keys, in --help order.
const std::vector<KeySpec>& Specs();
// Dynamic keys: apps.<id>.two_step_default and rollout.<feature>.<app>.percent.
std::optional<KeySpec> DynamicSpec(const std::string& key);
// The push keys of an app: apps.<id>.fcm_service_account_file, ...
std::vector<std::string> AppPushKeyNames();
// A fixed or dynamic key; nullopt when there is none.
std::optional<KeySpec> FindSpec(const std::string& key);
// TWOSTEP_ + the key upper-cased, dots as underscores.
std::string EnvName(const std::string& key);
// The dynamic key of TWOSTEP_APPS_<ID>_TWO_STEP_DEFAULT or
// TWOSTEP_ROLLOUT_TWO_STEP_<APP>_PERCENT; nullopt for other names.
std::optional<std::string> DynamicKeyFromEnv(const std::string& name);
// A value as --help prints it: "" for an empty string, lists
// comma-separated ("[]" when empty).
std::string ValueText(const Value& v);

}  // namespace twostep::app::keys
