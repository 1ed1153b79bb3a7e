// The store fault tests' world (app/store_faults_test.cc: the use cases that
// write; app/store_faults_read_test.cc: those that only read): one service,
// built by the composition root, on a fresh SQLite file or a fresh (emptied)
// PostgreSQL database behind a testing::FaultyStore, with an account that
// has Two-Step Verification on and a trusted phone, signed in. Each test
// runs on both stores (StoreFaultsBackend: PostgreSQL is skipped without
// TEST_PG_URL, failed without it when TEST_PG_REQUIRED=1).
#pragma once

#include <memory>
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "adapters/postgres/pg_store.h"
#include "adapters/sqlite/sqlite_store.h"
#include "app/use_cases.h"
#include "service/outbox_sender.h"
#include "testing/db_dump.h"
#include "testing/fakes.h"
#include "testing/faulty_store.h"
#include "testing/pg_test_database.h"
#include "testing/store_backends.h"
#include "testing/temp_dir.h"

namespace twostep::app::faults {
using namespace service;  // the use cases under test

inline constexpr const char* kStrong = "correct horse battery staple 42";
inline constexpr const char* kNew = "violet submarine orbit lantern 77";

// Where a World keeps its data: a SQLite file in its own directory, or a
// PostgreSQL database (one per test, emptied for each World).
struct Backend {
  std::string name;    // "sqlite" | "postgresql"
  std::string pg_url;  // postgresql only
};

inline std::unique_ptr<Store> OpenStore(const Backend& b, const std::string& dir) {
  if (b.name == "sqlite") return std::make_unique<sqlite::SqliteStore>(dir + "/t.db");
  testing::EmptyPostgres(b.pg_url);
  return std::make_unique<pg::PgStore>(pg::PgSettings{b.pg_url, 4, std::chrono::seconds(10)},
                                       "00112233445566778899aabbccddeeff");
}

struct World {
  explicit World(const Backend& b) : backend(b) {
    Setup();
    faulty.FailCall(0);
  }

  std::string LastCodeTo(const std::string& to) {
    outbox.RunOnce();
    for (auto it = transport.sent.rbegin(); it != transport.sent.rend(); ++it) {
      std::smatch m;
      if (it->message.to == to && std::regex_search(it->message.text, m, std::regex("(\\d{6})")))
        return m[1];
    }
    return "";
  }
  IssuedSession SignInPhone() {
    auto r = sign_in.Run({"ann@example.com", kStrong, phone, phone_secret, ""});
    return std::get<IssuedSession>(std::move(r).value());
  }
  // A challenge from a new device: its id and the code the phone got.
  std::pair<std::string, std::string> Challenge() {
    domain::DeviceDescription laptop{"laptop-0001", "Laptop", "X1", "Linux", "kasa", "1"};
    auto view = std::get<ChallengeView>(sign_in.Run({"ann@example.com", kStrong, laptop, {}, ""}).value());
    const auto& code = std::get<CodeRequested>(notifier.sent.back().notification).code;
    return {view.challenge_id, std::string(code.Reveal())};
  }

  // What a unit of work may leave behind: every row, every notification
  // (whom, which kind, about which challenge), every counter.
  std::string State() {
    std::string s = backend.name == "sqlite" ? testing::DumpSqlite(dir.path() + "/t.db")
                                             : testing::DumpPostgres(backend.pg_url);
    for (const auto& n : notifier.sent) {
      std::string about;
      if (auto* code = std::get_if<CodeRequested>(&n.notification)) about = code->challenge_id;
      if (auto* done = std::get_if<ChallengeResolved>(&n.notification)) about = done->challenge_id;
      s += "notify " + n.account_id + " " + n.device_id + " " +
           std::to_string(n.notification.index()) + " " + about + "\n";
    }
    for (const auto& [name, count] : counters.All()) s += name + "=" + std::to_string(count) + "\n";
    return s;
  }

  Backend backend;
  testing::TempDir dir;
  std::unique_ptr<Store> real = OpenStore(backend, dir.path());
  testing::FaultyStore faulty{*real};
  testing::ManualClock clock;
  testing::ScriptedRandom random;
  testing::FastHasher hasher;
  testing::RecordingCounters counters;
  testing::RecordingTransport transport;
  testing::RecordingNotifier notifier;
  NoLocation geo;
  testing::SettableKeyRing keys{ServerKeys{std::string(32, 'h'), std::string(32, 's')}};
  LivePolicy policy{SecurityPolicy{}};
  // The server's graph of use cases, on the faulty store.
  app::UseCases uses{app::ServicePorts{faulty, clock, random, hasher, counters, keys, policy,
                                       notifier, geo}};
  // The sender reads the real store: its faults are not the use cases'.
  OutboxSender outbox{*real, transport, clock, counters, "test"};
  Registration& registration = uses.registration;
  SignIn& sign_in = uses.sign_in;
  Sessions& sessions = uses.sessions;
  TwoStep& two_step = uses.two_step;
  VerifySignIn& verify = uses.verify_sign_in;
  ChallengeActions& actions = uses.challenges;
  Devices& devices = uses.devices;
  Passwords& passwords = uses.passwords;
  Rollouts& rollouts = uses.rollouts;
  PushRegistrations& push = uses.push;
  domain::DeviceDescription phone{"phone-0001", "Pixel 8", "GKWS6", "Android 15", "kasa", "1"};
  std::optional<std::string> phone_secret;
  IssuedSession phone_session;
  Caller phone_caller;

 private:
  void Setup() {
    auto cid = registration.Register({"ann@example.com", kStrong, "kasa", std::nullopt, ""});
    registration.VerifyEmail(*cid, Secret(LastCodeTo("ann@example.com"))).value();
    auto first = std::get<IssuedSession>(sign_in.Run({"ann@example.com", kStrong, phone, {}, ""}).value());
    auto caller = sessions.Authenticate(first.access_token).value();
    auto enable = two_step.Enable(caller, std::nullopt, "").value();
    auto secret = two_step.VerifyEnable(caller, enable.challenge->challenge_id,
                                        Secret(LastCodeTo("ann@example.com")), "").value();
    phone_secret = std::string(secret.Reveal());
    phone_session = SignInPhone();
    phone_caller = sessions.Authenticate(phone_session.access_token).value();
  }
};

// Each test on both stores; the PostgreSQL database is made once per test.
class StoreFaultsBackend : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    backend_.name = GetParam();
    if (backend_.name != "postgresql") return;
    std::string why;
    pg_ = testing::PgTestDatabase::Create(why);
    if (!pg_) {
      if (testing::PgTestDatabase::Required()) FAIL() << why;
      GTEST_SKIP() << why;
    }
    backend_.pg_url = pg_->url();
  }

  Backend backend_;
  std::unique_ptr<testing::PgTestDatabase> pg_;
};

}  // namespace twostep::app::faults
