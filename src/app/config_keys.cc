#include "app/config_keys.h"

#include <algorithm>
#include <cctype>
#include <type_traits>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace twostep::app::keys {

namespace {

struct Range {
  int64_t min = 0;
  int64_t max = 0;
};
constexpr bool kSecret = true;

template <typename T>
T As(const Value& v) { return std::get<T>(v); }

int AsInt(const Value& v) { return static_cast<int>(std::get<int64_t>(v)); }

template <typename T>
constexpr Kind KindOf() {
  if constexpr (std::is_same_v<T, std::string>) return Kind::kString;
  else if constexpr (std::is_same_v<T, bool>) return Kind::kBool;
  else if constexpr (std::is_integral_v<T>) return Kind::kInt;
  else return Kind::kList;
}

// A key whose field `field(config)` returns (a reference; called with a
// Config& to set and a const Config& to read).
template <typename Field>
KeySpec Key(std::string key, std::string help, Field field, Range range = {},
            bool secret = false) {
  using T = std::remove_cvref_t<decltype(field(std::declval<Config&>()))>;
  KeySpec spec{std::move(key), KindOf<T>(), std::move(help), range.min, range.max, secret, {}, {}};
  spec.set = [field](Config& c, const Value& v) {
    if constexpr (KindOf<T>() == Kind::kInt) field(c) = static_cast<T>(std::get<int64_t>(v));
    else field(c) = std::get<T>(v);
  };
  spec.get = [field](const Config& c) -> Value {
    if constexpr (KindOf<T>() == Kind::kInt) return static_cast<int64_t>(field(c));
    else return field(c);
  };
  return spec;
}

}  // namespace

// A value as --help prints it: "" for an empty string, lists
// comma-separated ("[]" when empty).
std::string ValueText(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return s->empty() ? "\"\"" : *s;
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  const auto& list = std::get<std::vector<std::string>>(v);
  return list.empty() ? "[]" : fmt::format("{}", fmt::join(list, ", "));
}

std::string EnvName(const std::string& key) {
  std::string out = "TWOSTEP_";
  for (char ch : key) out += ch == '.' ? '_' : static_cast<char>(toupper(static_cast<unsigned char>(ch)));
  return out;
}

// The table of keys. Over 60 lines because it is a table, one entry a key,
// not logic.
const std::vector<KeySpec>& Specs() {
  static const std::vector<KeySpec> specs = {
      Key("data_dir", "where the embedded default keeps its files",
          [](auto& c) -> auto& { return c.data_dir; }),
      Key("server.listen", "address and port (port 0 picks a free one; [::1]:8080 for IPv6)",
          [](auto& c) -> auto& { return c.server.listen; }),
      Key("server.management_listen", "address and port of the management listener: /metrics (only there: its counters "
          "would tell the public whether an address has an account) and /healthz, plain HTTP "
          "for operators (empty: off)",
          [](auto& c) -> auto& { return c.server.management_listen; }),
      Key("server.threads", "I/O threads (default: cores)",
          [](auto& c) -> auto& { return c.server.threads; }, {1, 256}),
      Key("server.trusted_proxies", "peers whose X-Forwarded-For is believed",
          [](auto& c) -> auto& { return c.server.trusted_proxies; }),
      Key("server.allowed_origins", "extra origins allowed to open the WebSocket",
          [](auto& c) -> auto& { return c.server.allowed_origins; }),
      Key("server.public_url", "used in emails and links (empty: from the listening address)",
          [](auto& c) -> auto& { return c.server.public_url; }),
      Key("server.tls_cert", "PEM certificate; with tls_key the server speaks HTTPS (empty: plain HTTP)",
          [](auto& c) -> auto& { return c.server.tls_cert; }),
      Key("server.tls_key", "PEM private key for tls_cert",
          [](auto& c) -> auto& { return c.server.tls_key; }),
      Key("server.max_body_bytes", "largest request body; larger ones get 413",
          [](auto& c) -> auto& { return c.server.max_body_bytes; }, {1024, 16 << 20}),
      Key("server.header_timeout_s", "time to send the request headers",
          [](auto& c) -> auto& { return c.server.header_timeout_s; }, {1, 3600}),
      Key("server.body_timeout_s", "time to send the request body",
          [](auto& c) -> auto& { return c.server.body_timeout_s; }, {1, 3600}),
      Key("server.idle_timeout_s", "keep-alive connections idle longer are closed",
          [](auto& c) -> auto& { return c.server.idle_timeout_s; }, {1, 3600}),
      Key("server.max_connections_per_ip", "live connections (HTTP and WebSocket) per client address, IPv6 per /64; more get 429 "
          "and the close (peers in trusted_proxies are not limited)",
          [](auto& c) -> auto& { return c.server.max_connections_per_ip; }, {1, 1000000}),
      Key("server.max_connections", "live connections (HTTP and WebSocket) in all; more get 503 + Retry-After and the close. "
          "The default is 100,000 trusted devices online plus 20 % for HTTP clients and reconnects; "
          "twostepd raises its open-file limit to fit when it may, and logs when it cannot",
          [](auto& c) -> auto& { return c.server.max_connections; }, {1, 10000000}),
      Key("server.ws_auth_timeout_s", "a WebSocket must send its auth message within this time",
          [](auto& c) -> auto& { return c.server.ws_auth_timeout_s; }, {1, 60}),
      Key("server.drain_timeout_s", "on SIGTERM, the longest wait for requests in flight (WebSockets get the close 1012 at "
          "once; an idle server exits at once)",
          [](auto& c) -> auto& { return c.server.drain_timeout_s; }, {1, 3600}),
      Key("server.session_sweep_s", "how often live WebSockets are checked against their session (an expired session's connection is closed)",
          [](auto& c) -> auto& { return c.server.session_sweep_s; }, {1, 3600}),
      Key("server.hash_threads", "threads hashing passwords (Argon2id)",
          [](auto& c) -> auto& { return c.server.hash_threads; }, {1, 256}),
      Key("server.hash_queue", "password hashes waiting at most; more get 503 + Retry-After (with "
          "hash_queue_wait_ms set, the memory bound behind the wait)",
          [](auto& c) -> auto& { return c.server.hash_queue; }, {1, 100000}),
      Key("server.hash_queue_wait_ms", "a password hash that would wait longer than this (the hashes waiting ahead x "
          "their recent mean run time / hash_threads) gets 503 + Retry-After; 0: off, hash_queue alone",
          [](auto& c) -> auto& { return c.server.hash_queue_wait_ms; }, {0, 60000}),
      Key("server.work_threads", "threads running store-bound requests (0: one per core with SQLite, whose transactions "
          "are CPU work; with PostgreSQL, where a thread waits for the database, two per core and at least "
          "database.pool_size)",
          [](auto& c) -> auto& { return c.server.work_threads; }, {0, 256}),
      Key("database.url", "sqlite:PATH or postgresql://user:pass@host:port/db",
          [](auto& c) -> auto& { return c.database.url; }, {}, kSecret),
      Key("database.pool_size", "PostgreSQL connections per instance (waits beyond get 503)",
          [](auto& c) -> auto& { return c.database.pool_size; }, {1, 1000}),
      Key("mail.from", "sender address",
          [](auto& c) -> auto& { return c.mail.from; }),
      Key("mail.smtp_url", "smtp://host:port (STARTTLS when offered) or smtps://; empty: write files",
          [](auto& c) -> auto& { return c.mail.smtp_url; }),
      Key("mail.smtp_user", "SMTP user",
          [](auto& c) -> auto& { return c.mail.smtp_user; }),
      Key("mail.smtp_password", "SMTP password",
          [](auto& c) -> auto& { return c.mail.smtp_password; }, {}, kSecret),
      Key("mail.dir", "where file mode writes .eml files",
          [](auto& c) -> auto& { return c.mail.dir; }),
      Key("mail.dkim_domain", "d= of the DKIM signatures (empty: mail is not signed); `twostepd mail-dns` prints the DNS records",
          [](auto& c) -> auto& { return c.mail.dkim_domain; }),
      Key("mail.dkim_selector", "selector of the RSA-SHA256 signature (<selector>._domainkey.<domain>)",
          [](auto& c) -> auto& { return c.mail.dkim_selector; }),
      Key("mail.dkim_key_file", "PEM RSA private key (2048 bits) of the RSA-SHA256 signature",
          [](auto& c) -> auto& { return c.mail.dkim_key_file; }),
      Key("mail.dkim_ed25519_selector", "selector of the second, Ed25519-SHA256 signature (RFC 8463); empty: RSA only",
          [](auto& c) -> auto& { return c.mail.dkim_ed25519_selector; }),
      Key("mail.dkim_ed25519_key_file", "PEM Ed25519 private key of the second signature",
          [](auto& c) -> auto& { return c.mail.dkim_ed25519_key_file; }),
      Key("geoip.databases", "MaxMind-format files tried in order; [] = no location lookup",
          [](auto& c) -> auto& { return c.geoip.databases; }),
      Key("geoip.iso3166", "ISO 3166 country names (Debian's iso-codes)",
          [](auto& c) -> auto& { return c.geoip.iso3166; }),
      Key("activity.retention_days", "login activity older than this is pruned",
          [](auto& c) -> auto& { return c.activity.retention_days; }, {1, 3650}),
      Key("activity.housekeeping_s", "how often what is past its retention (activity, hits, challenges, ended sessions, expired tokens) is pruned",
          [](auto& c) -> auto& { return c.activity.housekeeping_s; }, {1, 86400}),
      Key("push.webhook_url", "webhook provider URL (empty: off); https:// unless the host is loopback",
          [](auto& c) -> auto& { return c.push.webhook_url; }),
      Key("push.webhook_secret", "signs each webhook POST (X-Twostep-Signature, README); empty: unsigned",
          [](auto& c) -> auto& { return c.push.webhook_secret; }, {}, kSecret),
      Key("push.fcm_endpoint", "FCM HTTP v1 base URL (tests: a local fake); https:// unless the host is loopback",
          [](auto& c) -> auto& { return c.push.fcm_endpoint; }),
      Key("push.apns_endpoint", "APNs base URL (https://api.sandbox.push.apple.com for development builds); https:// unless the host is loopback",
          [](auto& c) -> auto& { return c.push.apns_endpoint; }),
      Key("push.ca_file", "PEM CA bundle trusted for FCM and APNs (empty: the system store)",
          [](auto& c) -> auto& { return c.push.ca_file; }),
      Key("push.timeout_s", "time one FCM or APNs request may take before it is retried",
          [](auto& c) -> auto& { return c.push.timeout_s; }, {1, 120}),
      Key("push.queue_limit", "pushes waiting per provider; more are dropped and counted",
          [](auto& c) -> auto& { return c.push.queue_limit; }, {1, 1000000}),
      Key("admin.token", "bearer token for /v1/admin/... (empty: admin API off)",
          [](auto& c) -> auto& { return c.admin.token; }, {}, kSecret),
      Key("security.keys_file", "server keys (code HMAC, code seal), created at first start; every instance on one PostgreSQL database needs the same file",
          [](auto& c) -> auto& { return c.security.keys_file; }),
      Key("security.extra_keys_files", "key rotation: other key files (the previous one, or the next one) whose codes of open "
          "challenges still check; new codes use keys_file",
          [](auto& c) -> auto& { return c.security.extra_keys_files; }),
      Key("security.argon2_iterations", "Argon2id passes (t)",
          [](auto& c) -> auto& { return c.security.argon2_iterations; }, {1, 100}),
      Key("security.argon2_memory_kib", "Argon2id memory in KiB (m)",
          [](auto& c) -> auto& { return c.security.argon2_memory_kib; }, {8192, 4 << 20}),
      Key("security.code_ttl_s", "challenge lifetime",
          [](auto& c) -> auto& { return c.security.code_ttl_s; }, {30, 86400}),
      Key("security.max_code_attempts", "wrong codes per challenge",
          [](auto& c) -> auto& { return c.security.max_code_attempts; }, {1, 100}),
      Key("security.resend_cooldown_s", "wait between sends of a challenge",
          [](auto& c) -> auto& { return c.security.resend_cooldown_s; }, {0, 3600}),
      Key("security.max_sends", "sends per challenge",
          [](auto& c) -> auto& { return c.security.max_sends; }, {1, 100}),
      Key("security.registrations_per_ip_hour", "registrations per client IP per hour",
          [](auto& c) -> auto& { return c.security.registrations_per_ip_hour; }, {1, 1000000}),
      Key("security.resets_per_ip_hour", "password reset requests per client IP per hour",
          [](auto& c) -> auto& { return c.security.resets_per_ip_hour; }, {1, 1000000}),
      Key("security.mails_per_mailbox_hour", "code and \"already registered\" mails per mailbox (address without +tag) per hour; more are silently not sent",
          [](auto& c) -> auto& { return c.security.mails_per_mailbox_hour; }, {1, 1000000}),
      Key("web.dir", "the web app's files, served at / (empty: no web app; unset and no web/dist: /usr/share/twostep/web)",
          [](auto& c) -> auto& { return c.web.dir; }),
      Key("log.level", "trace, debug, info, warn, error, critical or off",
          [](auto& c) -> auto& { return c.log.level; }),
      Key("testing.manual_clock", "black-box tests only: a clock moved through the admin API",
          [](auto& c) -> auto& { return c.testing.manual_clock; }),
  };
  return specs;
}

namespace {
// The push keys of an app (apps.<id>.<name>), all strings.
constexpr std::pair<const char*, std::string AppSettings::*> kAppPushFields[] = {
    {"fcm_service_account_file", &AppSettings::fcm_service_account_file},
    {"apns_key_file", &AppSettings::apns_key_file},
    {"apns_key_id", &AppSettings::apns_key_id},
    {"apns_team_id", &AppSettings::apns_team_id},
    {"apns_topic", &AppSettings::apns_topic},
};
std::optional<std::string AppSettings::*> AppPushField(const std::string& name) {
  for (const auto& [n, field] : kAppPushFields)
    if (name == n) return field;
  return std::nullopt;
}
}  // namespace

std::vector<std::string> AppPushKeyNames() {
  std::vector<std::string> out;
  for (const auto& [n, field] : kAppPushFields) out.push_back(n);
  return out;
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
  if (parts.size() == 3 && parts[0] == "apps" && parts[2] == "display_name" && valid_id(parts[1])) {
    std::string app = parts[1];
    return KeySpec{key, Kind::kString, "", 0, 0, false,
                   [app](Config& c, const Value& v) { c.apps[app].display_name = As<std::string>(v); },
                   {}};
  }
  if (parts.size() == 3 && parts[0] == "apps" && parts[2] == "two_step_default" && valid_id(parts[1])) {
    std::string app = parts[1];
    return KeySpec{key, Kind::kBool, "", 0, 0, false,
                   [app](Config& c, const Value& v) { c.apps[app].two_step_default = As<bool>(v); },
                   {}};
  }
  if (parts.size() == 3 && parts[0] == "apps" && valid_id(parts[1]))
    if (auto field = AppPushField(parts[2])) {
      std::string app = parts[1];
      return KeySpec{key, Kind::kString, "", 0, 0, false,
                     [app, field](Config& c, const Value& v) {
                       c.apps[app].*(*field) = As<std::string>(v);
                     },
                     {}};
    }
  if (parts.size() == 4 && parts[0] == "rollout" && parts[3] == "percent" && valid_id(parts[1]) &&
      valid_id(parts[2])) {
    std::string fa = parts[1] + "." + parts[2];
    return KeySpec{key, Kind::kInt, "", 0, 100, false,
                   [fa](Config& c, const Value& v) { c.rollout_percent[fa] = AsInt(v); }, {}};
  }
  return std::nullopt;
}

std::optional<KeySpec> FindSpec(const std::string& key) {
  for (const auto& s : Specs())
    if (s.key == key) return s;
  return DynamicSpec(key);
}

// TWOSTEP_APPS_<ID>_TWO_STEP_DEFAULT / TWOSTEP_ROLLOUT_TWO_STEP_<APP>_PERCENT
std::optional<std::string> DynamicKeyFromEnv(const std::string& name) {
  auto lower = [](std::string s) {
    for (char& ch : s) ch = static_cast<char>(tolower(static_cast<unsigned char>(ch)));
    return s;
  };
  const std::string apps = "TWOSTEP_APPS_";
  std::vector<std::string> app_keys = AppPushKeyNames();
  app_keys.push_back("two_step_default");
  app_keys.push_back("display_name");
  for (const auto& field : app_keys) {
    const std::string app_suffix = "_" + EnvName(field).substr(8);  // after "TWOSTEP_"
    if (name.rfind(apps, 0) == 0 && name.size() > apps.size() + app_suffix.size() &&
        name.compare(name.size() - app_suffix.size(), app_suffix.size(), app_suffix) == 0)
      return "apps." +
             lower(name.substr(apps.size(), name.size() - apps.size() - app_suffix.size())) + "." +
             field;
  }
  const std::string roll = "TWOSTEP_ROLLOUT_TWO_STEP_", pct = "_PERCENT";
  if (name.rfind(roll, 0) == 0 && name.size() > roll.size() + pct.size() &&
      name.compare(name.size() - pct.size(), pct.size(), pct) == 0)
    return "rollout.two_step." + lower(name.substr(roll.size(), name.size() - roll.size() - pct.size())) +
           ".percent";
  return std::nullopt;
}

}  // namespace twostep::app::keys
