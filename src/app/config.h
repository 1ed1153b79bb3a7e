// Config: every setting of twostepd (SPEC §4), with defaults, read from a
// TOML file and overridden by TWOSTEP_* environment variables. Unknown keys
// are errors (a typo must not silently fall back to a default). Values of
// secret keys never appear in error messages.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace twostep::app {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct AppSettings {
  bool two_step_default = false;
  std::string display_name;  // empty: the app id (the sender name in mails)
  // Mobile push credentials of the app (SPEC §4; empty: that provider off).
  std::string fcm_service_account_file;
  std::string apns_key_file, apns_key_id, apns_team_id, apns_topic;
};

// The number of cores (at least 1): the default of the thread counts.
int CoreCount();

// Each field's initialiser is its key's default, the one place it is
// stated: --help prints it (HelpText) and LoadConfig starts from it. Keys
// marked "follows data_dir" default to a path under data_dir unless set.
struct Config {
  std::string data_dir = "var";
  struct Server {
    std::string listen = "127.0.0.1:8080";
    std::string listen_host = "127.0.0.1";  // parsed from listen
    uint16_t listen_port = 8080;
    // /metrics and /healthz for operators; empty = off (management_host empty).
    std::string management_listen = "127.0.0.1:9464";
    std::string management_host = "127.0.0.1";  // parsed from management_listen
    uint16_t management_port = 9464;
    int threads = CoreCount();
    std::vector<std::string> trusted_proxies;
    std::vector<std::string> allowed_origins;
    std::string public_url;
    std::string tls_cert;
    std::string tls_key;
    int64_t max_body_bytes = 65536;
    int header_timeout_s = 10;
    int body_timeout_s = 10;
    int idle_timeout_s = 60;
    int max_connections_per_ip = 256;
    int max_connections = 120000;
    int ws_auth_timeout_s = 5;
    int drain_timeout_s = 10;  // SIGTERM: the longest wait for requests in flight
    int session_sweep_s = 60;
    int hash_threads = CoreCount();
    int hash_queue = 64;         // hashes waiting; more get 503
    int hash_queue_wait_ms = 0;  // 0: off; else the wait sheds first (http/admission.h)
    int work_threads = 0;  // 0: by store (WorkThreads)
  } server;
  struct Database {
    std::string url;  // follows data_dir
    int pool_size = 8;  // PostgreSQL connections per instance
  } database;
  struct Mail {
    std::string from = "no-reply@localhost";
    std::string smtp_url;
    std::string smtp_user;
    std::string smtp_password;
    std::string dir;  // follows data_dir
    // DKIM (empty domain: unsigned). The RSA key signs every mail; the
    // Ed25519 pair adds a second signature (app/mail_setup.h checks them).
    std::string dkim_domain;
    std::string dkim_selector;
    std::string dkim_key_file;
    std::string dkim_ed25519_selector;
    std::string dkim_ed25519_key_file;
  } mail;
  struct Geoip {
    std::vector<std::string> databases;  // follows data_dir
    std::string iso3166 = "/usr/share/iso-codes/json/iso_3166-1.json";
  } geoip;
  struct Activity {
    int retention_days = 90;
    int housekeeping_s = 600;  // how often housekeeping prunes
  } activity;
  struct Push {
    std::string webhook_url;     // https:// unless the host is loopback (push_url.h)
    std::string webhook_secret;  // HMAC-SHA-256 key of the webhook signature; "" = unsigned
    // https:// unless the host is loopback (push_url.h), as webhook_url.
    std::string fcm_endpoint = "https://fcm.googleapis.com";
    std::string apns_endpoint = "https://api.push.apple.com";
    std::string ca_file;  // CA bundle for FCM and APNs; "" = the system store
    int timeout_s = 10;
    int queue_limit = 10000;
  } push;
  struct Admin {
    std::string token;
  } admin;
  struct Security {
    std::string keys_file;  // follows data_dir (<data_dir>/server.key)
    // Key rotation: older (or next) key files whose codes still check.
    std::vector<std::string> extra_keys_files;
    int argon2_iterations = 2;
    int argon2_memory_kib = 19456;
    int code_ttl_s = 600;
    int max_code_attempts = 5;
    int resend_cooldown_s = 60;
    int max_sends = 5;
    // Flood limits (SPEC §2), per hour.
    int registrations_per_ip_hour = 20, resets_per_ip_hour = 20, mails_per_mailbox_hour = 10;
  } security;
  struct Web {
    std::string dir = "web/dist";  // unset: kPackagedWebDir when this has no index.html
  } web;
  struct Log {
    std::string level = "info";
  } log;
  struct Testing {
    bool manual_clock = false;
  } testing;
  // app id → settings; apps.<id>.two_step_default adds to these.
  std::map<std::string, AppSettings> apps{{"kasa", {false, {}, {}, {}, {}, {}}},
                                          {"aginet", {true, {}, {}, {}, {}, {}}}};
  std::map<std::string, int> rollout_percent;    // "feature.app" → percent
};

// Where the Debian package installs the web app.
inline constexpr const char* kPackagedWebDir = "/usr/share/twostep/web";

// Defaults, then the file (when given), then the environment. Keys that
// follow data_dir (database.url, mail.dir, geoip.databases) do so unless set
// explicitly. Throws ConfigError.
Config LoadConfig(const std::optional<std::string>& path,
                  const std::map<std::string, std::string>& env);

// True for postgresql:// and postgres:// URLs.
bool IsPostgresUrl(const std::string& url);

// server.work_threads, with 0 resolved for the store on `cores` cores: one
// thread per core with SQLite, whose transactions are CPU work (more threads
// only add sleeps and wake-ups between them: bench/ANALYSIS.md); two per
// core with PostgreSQL, where a thread mostly waits for the database.
int WorkThreads(const Config& config, unsigned cores);

// The process environment as a map.
std::map<std::string, std::string> EnvironmentMap();

// Every key with its default, meaning and environment variable.
std::string HelpText();

// The keys of the table (not the dynamic apps.* and rollout.* ones), and
// the value of one in `config` as --help prints it ("" for an empty string,
// lists comma-separated, "[]" when empty). Throws ConfigError for a key
// that is not in the table. Secret keys' values are shown too: for --help
// (defaults) and tests, never for logs.
std::vector<std::string> ConfigKeys();
std::string ConfigValueText(const Config& config, const std::string& key);

}  // namespace twostep::app
