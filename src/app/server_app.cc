#include "app/server_app.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>
#include <thread>

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include "adapters/postgres/pg_fanout.h"
#include "adapters/postgres/pg_store.h"
#include "adapters/sqlite/sqlite_store.h"
#include "adapters/maxmind/maxmind_locator.h"
#include "adapters/sodium/argon2_hasher.h"
#include "adapters/sodium/server_keys_file.h"
#include "adapters/sodium/sodium_random.h"
#include "adapters/webhook/webhook_notifier.h"
#include "adapters/system/offset_clock.h"
#include "adapters/system/system_clock.h"
#include "app/fd_limit.h"
#include "app/json_log.h"
#include "app/key_ring.h"
#include "app/mail_setup.h"
#include "app/open_store.h"
#include "app/missed_delivery.h"
#include "app/reload.h"
#include "app/reload_signal.h"
#include "app/swappable_ports.h"
#include "app/push_channel.h"
#include "http/api.h"
#include "http/metrics.h"
#include "http/server.h"
#include "http/wait_hub.h"
#include "http/work_pool.h"
#include "app/session_sweep.h"
#include "app/use_cases.h"
#include "http/ws_hub.h"
#include "http/ws_session.h"
#include "service/sessions.h"
#include "service/housekeeping.h"
#include "service/outbox_sender.h"

namespace twostep::app {

namespace {

constexpr size_t kWorkQueue = 4096;

service::SecurityPolicy PolicyFrom(const Config& c) {
  service::SecurityPolicy p;
  p.challenge.ttl = seconds(c.security.code_ttl_s);
  p.challenge.max_attempts = c.security.max_code_attempts;
  p.challenge.resend_cooldown = seconds(c.security.resend_cooldown_s);
  p.challenge.max_sends = c.security.max_sends;
  p.registrations_per_ip = {c.security.registrations_per_ip_hour, hours(1)};
  p.resets_per_ip = {c.security.resets_per_ip_hour, hours(1)};
  p.mails_per_mailbox = {c.security.mails_per_mailbox_hour, hours(1)};
  p.initial_rollout_percent = c.rollout_percent;
  p.app_two_step_default.clear();
  for (const auto& [app, settings] : c.apps) p.app_two_step_default[app] = settings.two_step_default;
  return p;
}

http::ServerOptions ServerOptionsFrom(const Config& c) {
  http::ServerOptions o;
  o.host = c.server.listen_host;
  o.port = c.server.listen_port;
  o.management_host = c.server.management_host;
  o.management_port = c.server.management_port;
  o.io_threads = c.server.threads;
  o.max_body_bytes = c.server.max_body_bytes;
  o.header_timeout = seconds(c.server.header_timeout_s);
  o.body_timeout = seconds(c.server.body_timeout_s);
  o.idle_timeout = seconds(c.server.idle_timeout_s);
  o.drain_timeout = seconds(c.server.drain_timeout_s);
  o.max_connections_per_ip = static_cast<size_t>(c.server.max_connections_per_ip);
  o.max_connections = static_cast<size_t>(c.server.max_connections);
  o.trusted_proxies = c.server.trusted_proxies;
  o.allowed_origins = c.server.allowed_origins;
  o.public_url = c.server.public_url;
  o.tls_cert = c.server.tls_cert;
  o.tls_key = c.server.tls_key;
  return o;
}

// Counts the Argon2id work on /metrics (twostep_password_hashes_total), the
// evidence that unknown accounts cost the same hashing as known ones.
class CountingHasher : public PasswordHasher {
 public:
  CountingHasher(PasswordHasher& inner, Counters& counters) : inner_(inner), counters_(counters) {}
  std::string Hash(const Secret& password) override {
    counters_.Increment("password_hashes", "hash");
    return inner_.Hash(password);
  }
  bool Verify(const std::string& encoded_hash, const Secret& password) override {
    counters_.Increment("password_hashes", "verify");
    return inner_.Verify(encoded_hash, password);
  }
  bool NeedsRehash(const std::string& encoded_hash) override { return inner_.NeedsRehash(encoded_hash); }

 private:
  PasswordHasher& inner_;
  Counters& counters_;
};

// Where notifications go: the WebSocket hub, or on PostgreSQL the fan-out
// between instances (which delivers to the hub and to the other instances'
// hubs), the mobile push providers (from the instance where the
// notification starts: FCM and APNs are reached once), the webhook when
// one is configured, and the held long-polls of this instance (`waits`: a
// challenge's notifications wake its watchers).
class LiveChannels {
 public:
  LiveChannels(const Config& config, Store& store, http::WsHub& hub, http::WaitHub& waits,
               const ServerKeys& keys, Random& random, const Clock& clock,
               http::Metrics& metrics, std::function<void(Timestamp since)> catch_up) {
    if (auto* pg_store = dynamic_cast<pg::PgStore*>(&store)) {
      pg::LocalDevices local{[&hub] { return hub.LiveDevices(); }, &hub,
                             std::move(catch_up)};
      fanout_ = std::make_unique<pg::PgFanout>(*pg_store, local, keys, random, metrics);
    }
    std::vector<Notifier*> channels{fanout_ ? static_cast<Notifier*>(fanout_.get()) : &hub, &waits};
    push_ = OpenPushChannel(config, store, clock, metrics,
                            [&hub](const std::string& account_id, const std::string& device_id) {
                              return hub.ReceivesCodes(account_id, device_id);
                            });
    channels.push_back(push_.get());
    if (!config.push.webhook_url.empty()) {
      webhook_ = std::make_unique<WebhookNotifier>(config.push.webhook_url,
                                                   Secret(config.push.webhook_secret), metrics);
      channels.push_back(webhook_.get());
    }
    notifier_ = std::make_unique<FanoutNotifier>(std::move(channels));
  }
  Notifier& notifier() { return *notifier_; }
  // The SIGHUP handler's entry to new push credentials (ConfigError: the
  // old ones stay).
  void ReloadPush(const Config& config) { ReloadPushCredentials(config, *push_); }
  void Start() { if (fanout_) fanout_->Start(); }
  void Stop() { if (fanout_) fanout_->Stop(); }

 private:
  std::unique_ptr<pg::PgFanout> fanout_;
  std::unique_ptr<push::PushNotifier> push_;
  std::unique_ptr<WebhookNotifier> webhook_;
  std::unique_ptr<FanoutNotifier> notifier_;
};

// The server is ready: the log, the one stdout line (SPEC §4) and systemd.
void AnnounceReady(const http::HttpServer& server, const std::string& url, const Config& config,
                   int work_threads) {
  // In the log, not on stdout: tests that bind port 0 read the chosen
  // management port here.
  if (!server.ManagementUrl().empty())
    spdlog::info(R"({{"event":"management_listening","url":"{}"}})", server.ManagementUrl());
  spdlog::info(R"({{"event":"started","url":"{}","database":"{}","mail":"{}","work_threads":{}}})",
               url, IsPostgresUrl(config.database.url) ? "postgresql" : "sqlite",
               config.mail.smtp_url.empty() ? "files" : "smtp", work_threads);
  std::cout << "listening on " << url << std::endl;
  // Type=notify: systemctl start returns now. Without NOTIFY_SOCKET a no-op.
  sd_notify(0, "READY=1");
}

bool Changed(const ReloadPlan& plan, std::string_view prefix) {
  for (const auto& key : plan.live)
    if (key.rfind(prefix, 0) == 0) return true;
  return false;
}

// The live keys of app/reload.h, each applied to the part that reads it.
// A part that cannot take its new value (a GeoIP file that does not open
// logs and serves no location, as at start) never stops the server.
void AddLiveReloads(Reloader& reloader, const Config& start, http::HttpServer& server,
                    mail::MailComposer& composer, SwappableTransport& transport,
                    SwappableLocator& geo, LiveChannels& live) {
  reloader.OnReload([&server, &composer, &transport, &geo, &live, start](const Config& next,
                                                              const ReloadPlan& plan) {
    if (Changed(plan, "log.level")) {
      auto level = spdlog::level::from_str(next.log.level);
      if (level != spdlog::level::off || next.log.level == "off") spdlog::set_level(level);
      else spdlog::error(R"({"event":"reload_part_failed","key":"log.level"})");
    }
    if (Changed(plan, "server.trusted_proxies")) server.SetTrustedProxies(next.server.trusted_proxies);
    if (Changed(plan, "mail.smtp_")) {
      Config mail = next;  // mail.from and mail.dir need a restart: keep the running ones
      mail.mail.from = start.mail.from;
      mail.mail.dir = start.mail.dir;
      try {
        transport.Replace(OpenTransport(mail, composer));
      } catch (const std::exception&) {
        spdlog::error(R"({"event":"reload_part_failed","key":"mail.smtp_url"})");
      }
    }
    if (Changed(plan, "apps.")) {
      try {
        live.ReloadPush(next);
      } catch (const std::exception&) {
        spdlog::error(R"({"event":"reload_part_failed","key":"apps.<id>.push credentials"})");
      }
    }
    if (Changed(plan, "geoip."))
      geo.Replace(std::make_shared<MaxMindLocator>(next.geoip.databases, next.geoip.iso3166));
    if (Changed(plan, "apps.")) {
      try {
        composer.SetAppNames(IdentityFromConfig(next).app_names);
      } catch (const std::exception&) {
        spdlog::error(R"({"event":"reload_part_failed","key":"apps.<id>.display_name"})");
      }
    }
  });
}

// The use cases' policy (limits, known apps, rollout seeds): replaced whole,
// so a request that started keeps the one it read (service/work_source.h).
// And the code keys: every reload reads the generations that `twostepd
// keys rotate` added (app/key_ring.h).
void AddPolicyReload(Reloader& reloader, service::LivePolicy& policy, LiveKeyRing& key_ring) {
  reloader.OnReload([&policy, &key_ring](const Config& next, const ReloadPlan& plan) {
    if (Changed(plan, "security.") || Changed(plan, "apps.") || Changed(plan, "rollout."))
      policy.Set(PolicyFrom(next));
    try {
      key_ring.Reload();
    } catch (const std::exception&) {
      spdlog::error(R"({"event":"reload_part_failed","key":"security.key_generations"})");
    }
  });
}

// The API's options: the admin token, and for black-box tests the clock
// they move (held long-polls then look again: a challenge may have expired).
http::TwoStepApiOptions ApiOptions(const Config& config, OffsetClock& offset_clock,
                                   http::WaitHub& waits) {
  http::TwoStepApiOptions options{config.admin.token, {}};
  if (config.testing.manual_clock)
    options.advance_clock = [&offset_clock, &waits](seconds by) {
      offset_clock.Advance(by);
      waits.SignalAll();
    };
  return options;
}

// The two worker pools behind the I/O threads.
struct Pools {
  explicit Pools(const Config& config)
      : work_threads(WorkThreads(config, std::thread::hardware_concurrency())),
        // Store-bound requests waiting for a work thread; beyond them a
        // request gets 503 + Retry-After at once: a pool this far behind
        // serves a client sooner after its retry than after the wait
        // behind thousands.
        work("work", work_threads, kWorkQueue),
        // Hashing runs at nice 10: under sign-in overload Argon2id fills
        // every core, and the I/O threads (and /healthz) must still get one
        // at once. It sheds by the expected wait, which is what a client
        // feels whatever the Argon2id cost and the cores (http/admission.h).
        hash("hash", config.server.hash_threads,
             http::AdmissionLimits{static_cast<size_t>(config.server.hash_queue),
                                   std::chrono::milliseconds(config.server.hash_queue_wait_ms)},
             /*nice=*/10) {}
  // twostep_hash_queue_expected_wait_seconds and its limit (the waiting
  // count and its limit come with each scrape: http/api.cc).
  void AddGauges(http::Metrics& metrics, const Config& config) {
    metrics.AddGaugeSource("hash_queue_expected_wait_seconds", [this] {
      using std::chrono::duration, std::chrono::nanoseconds;
      return duration<double>(hash.ExpectedWait().value_or(nanoseconds::zero())).count();
    });
    const double limit = config.server.hash_queue_wait_ms / 1000.0;
    metrics.AddGaugeSource("hash_queue_wait_limit_seconds", [limit] { return limit; });
  }
  int work_threads;
  http::WorkPool work;
  http::WorkPool hash;
};

// The work beside the requests: the live channels, the outbox sender,
// housekeeping and the sweep of ended sessions. Started once the server
// listens; stopped after it drained, the outbox's last pass last.
class Background {
 public:
  Background(const Config& config, Store& store, const Clock& clock, http::WsHub& hub,
             service::Sessions& sessions, LiveChannels& live, service::OutboxSender& sender)
      : live_(live),
        sender_(sender),
        housekeeping_(store, clock, hours(24) * config.activity.retention_days,
                      seconds(config.activity.housekeeping_s)),
        session_sweep_(hub, sessions, seconds(config.server.session_sweep_s)) {}
  void Start() {
    live_.Start();
    sender_.Start();
    housekeeping_.Start();
    session_sweep_.Start();
  }
  void Stop() {
    session_sweep_.Stop();
    live_.Stop();
    housekeeping_.Stop();
    sender_.Stop();  // last outbox pass
  }

 private:
  LiveChannels& live_;
  service::OutboxSender& sender_;
  service::Housekeeping housekeeping_;
  SessionSweep session_sweep_;
};

}  // namespace

// The start-up sequence, one line or two per part in the order the parts
// depend on each other, then the shutdown in reverse. A little over 60
// lines: splitting it further would hand a dozen of these locals around.
int RunServer(const Config& config, const std::optional<std::string>& config_path,
              const std::map<std::string, std::string>& environment) {
  // First: SIGHUP is blocked before any thread starts (app/reload_signal.h).
  Reloader reloader(config, config_path, environment);
  ReloadSignal reload_signal([&reloader] { reloader.Reload(); });
  SetupJsonLogging(config.log.level);
  FitOpenFileLimit(static_cast<size_t>(config.server.max_connections));
  std::filesystem::create_directories(config.data_dir);
  ::chmod(config.data_dir.c_str(), 0700);

  SodiumRandom random;
  OffsetClock offset_clock;
  SystemClock system_clock;
  Clock& clock = config.testing.manual_clock ? static_cast<Clock&>(offset_clock) : system_clock;
  const ServerKeys keys =
      LoadServerKeys(config.security.keys_file, config.security.extra_keys_files);
  auto store = OpenStore(config, keys, clock, StoreUser::kServer);
  LiveKeyRing key_ring(keys, *store);  // and the generations of `twostepd keys rotate`
  Argon2Hasher argon2(static_cast<uint64_t>(config.security.argon2_iterations),
                      static_cast<size_t>(config.security.argon2_memory_kib));
  http::Metrics metrics;
  if (const auto* sqlite = dynamic_cast<const sqlite::SqliteStore*>(store.get()))
    metrics.AddGaugeSource("sqlite_memory_bytes",
                           [sqlite] { return static_cast<double>(sqlite->MemoryUsed()); });
  CountingHasher hasher(argon2, metrics);
  service::LivePolicy policy(PolicyFrom(config));
  MailStack mail = OpenMail(config, clock);
  SwappableTransport transport(std::shared_ptr<MailTransport>(std::move(mail.transport)));
  service::OutboxSender sender(*store, transport, clock, metrics, MailDomain(config.mail.from));
  http::WsHub hub;
  http::WaitHub waits(&metrics);
  SwappableLocator geo(
      std::make_shared<MaxMindLocator>(config.geoip.databases, config.geoip.iso3166));
  // Built after the use cases (it reissues codes through them); the
  // fan-out asks for it only once started, after that.
  std::optional<service::MissedNotifications> missed;
  LiveChannels live(config, *store, hub, waits, keys, random, clock, metrics,
                    [&hub, &missed](Timestamp since) { DeliverMissed(hub, *missed, since); });

  UseCases uses(ServicePorts{*store, clock, random, hasher, metrics, key_ring, policy,
                             live.notifier(), geo, [&sender] { sender.Notify(); }});
  missed.emplace(*store, clock, uses.sign_in_codes);
  http::Router router =
      http::BuildApiRouter(uses.Api(), ApiOptions(config, offset_clock, waits), config.web.dir);
  Pools pools(config);
  pools.AddGauges(metrics, config);
  http::WorkPool& work = pools.work;
  http::WorkPool& hash = pools.hash;
  http::Router management = http::BuildManagementRouter(metrics, &hash, &work);
  http::WsContext ws{hub, work, [&uses](const Secret& token) {
                       return uses.sessions.AuthenticateDevice(token);
                     }};
  ws.auth_timeout = seconds(config.server.ws_auth_timeout_s);
  http::HttpServer server(ServerOptionsFrom(config), router, work, hash, metrics, &ws, &management,
                          &waits);

  std::string url = server.Listen();
  Background background(config, *store, clock, hub, uses.sessions, live, sender);
  background.Start();
  AddLiveReloads(reloader, config, server, *mail.composer, transport, geo, live);
  AddPolicyReload(reloader, policy, key_ring);
  reload_signal.Start();
  AnnounceReady(server, url, config, pools.work_threads);

  server.Run();  // returns after SIGTERM/SIGINT once the drain is done (http/server.h)
  reload_signal.Stop();
  work.Shutdown();
  hash.Shutdown();
  background.Stop();  // the outbox's last pass at the end
  spdlog::info(R"({"event":"stopped"})");
  spdlog::default_logger()->flush();
  return 0;
}

}  // namespace twostep::app
