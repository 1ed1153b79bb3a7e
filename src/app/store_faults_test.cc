// Every use case, with the store failing at each of its calls in turn
// (testing/faulty_store.h, issue 16 item 4). Each time:
//   - the StoreError reaches the caller (the HTTP boundary answers it 503,
//     http/handler_call_test.cc);
//   - nothing is half-written: the database holds exactly what it held
//     between two of the use case's units of work in a run without the
//     fault (a dump of every row of every table, outbox included);
//   - no notification and no counter went out for rolled-back work: they
//     too are what they were at that same moment.
#include <functional>
#include <map>
#include <regex>

#include <gtest/gtest.h>

#include "adapters/sqlite/sqlite_store.h"
#include "app/use_cases.h"
#include "service/outbox_sender.h"
#include "testing/db_dump.h"
#include "testing/fakes.h"
#include "testing/faulty_store.h"
#include "testing/temp_dir.h"

namespace twostep::app {
using namespace service;  // the use cases under test
namespace {

constexpr const char* kStrong = "correct horse battery staple 42";
constexpr const char* kNew = "violet submarine orbit lantern 77";

// One service on a fresh SQLite file behind a FaultyStore: an account with
// Two-Step Verification on and a trusted phone, signed in.
struct World {
  World() {
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

  // What a unit of work may leave behind.
  std::string State() {
    std::string s = testing::DumpSqlite(dir.path() + "/t.db");
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

  testing::TempDir dir;
  sqlite::SqliteStore real{dir.path() + "/t.db"};
  testing::FaultyStore faulty{real};
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
  OutboxSender outbox{real, transport, clock, counters, "test"};
  Registration& registration = uses.registration;
  SignIn& sign_in = uses.sign_in;
  Sessions& sessions = uses.sessions;
  TwoStep& two_step = uses.two_step;
  VerifySignIn& verify = uses.verify_sign_in;
  ChallengeActions& actions = uses.challenges;
  Devices& devices = uses.devices;
  Passwords& passwords = uses.passwords;
  Rollouts& rollouts = uses.rollouts;
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

struct UseCase {
  const char* name;
  // Runs before the fault is armed; returns the use case itself.
  std::function<std::function<void()>(World&)> prepare;
};

std::vector<UseCase> UseCases() {
  return {
      {"Register", [](World& w) {
         return [&w] { (void)w.registration.Register({"bob@example.com", kStrong, "aginet", w.phone, ""}); };
       }},
      {"VerifyEmail", [](World& w) {
         auto cid = w.registration.Register({"bob@example.com", kStrong, "aginet", w.phone, ""}).value();
         auto code = w.LastCodeTo("bob@example.com");
         return [&w, cid, code] { (void)w.registration.VerifyEmail(cid, Secret(code)); };
       }},
      {"SignInChallenged", [](World& w) { return [&w] { w.Challenge(); }; }},
      {"SignInTrusted", [](World& w) { return [&w] { w.SignInPhone(); }; }},
      {"SignInWrongPassword", [](World& w) {
         return [&w] { (void)w.sign_in.Run({"ann@example.com", "wrong password 1", w.phone, {}, ""}); };
       }},
      {"VerifyRightCode", [](World& w) {
         auto [id, code] = w.Challenge();
         return [&w, id, code] { (void)w.verify.Run(id, Secret(code), true); };
       }},
      {"VerifyWrongCode", [](World& w) {
         auto [id, code] = w.Challenge();
         std::string wrong = code == "000000" ? "111111" : "000000";
         return [&w, id, wrong] { (void)w.verify.Run(id, Secret(wrong), false); };
       }},
      {"ResendByEmail", [](World& w) {
         auto id = w.Challenge().first;
         return [&w, id] { (void)w.actions.Resend(id, "email"); };
       }},
      {"Deny", [](World& w) {
         auto id = w.Challenge().first;
         return [&w, id] { (void)w.actions.Deny(w.phone_caller, id); };
       }},
      {"Refresh", [](World& w) {
         return [&w] { (void)w.sessions.Refresh(w.phone_session.refresh_token); };
       }},
      {"SignOut", [](World& w) { return [&w] { w.sessions.SignOut(w.phone_caller); }; }},
      {"RemoveTrustedDevice", [](World& w) {
         return [&w] { (void)w.devices.Remove(w.phone_caller, "phone-0001", ""); };
       }},
      {"ChangePassword", [](World& w) {
         return [&w] { (void)w.passwords.Change(w.phone_caller, {kStrong, kNew, true, ""}); };
       }},
      {"RequestReset", [](World& w) {
         return [&w] { (void)w.passwords.RequestReset("ann@example.com", ""); };
       }},
      {"ConfirmReset", [](World& w) {
         auto cid = w.passwords.RequestReset("ann@example.com", "").value();
         auto code = w.LastCodeTo("ann@example.com");
         return [&w, cid, code] { (void)w.passwords.ConfirmReset(cid, Secret(code), kNew); };
       }},
      {"DisableTwoStep", [](World& w) {
         return [&w] { (void)w.two_step.Disable(w.phone_caller, kStrong, ""); };
       }},
      {"EnableTwoStepAgain", [](World& w) {
         EXPECT_TRUE(w.two_step.Disable(w.phone_caller, kStrong, "").ok());
         return [&w] { (void)w.two_step.Enable(w.phone_caller, std::string(kStrong), ""); };
       }},
      {"PutRollout", [](World& w) {
         return [&w] { (void)w.rollouts.Put("two_step", "kasa", 50, {"ann@example.com"}); };
       }},
  };
}

TEST(StoreFaultsTest, EveryUseCaseRollsBackCleanlyAtEveryStoreCall) {
  for (const auto& use_case : UseCases()) {
    SCOPED_TRACE(use_case.name);
    // Without a fault: how many store calls it makes, and the states
    // between its units of work.
    std::vector<std::string> states;
    int calls = 0;
    {
      World w;
      auto run = use_case.prepare(w);
      w.faulty.before_begin = [&] { states.push_back(w.State()); };
      w.faulty.FailCall(0);
      run();
      w.faulty.before_begin = [] {};
      calls = w.faulty.calls();
      states.push_back(w.State());
    }
    ASSERT_GT(calls, 0);
    for (int n = 1; n <= calls; ++n) {
      World w;
      auto run = use_case.prepare(w);
      w.faulty.FailCall(n);
      bool threw = false;
      try {
        run();
      } catch (const StoreError&) {
        threw = true;
      }
      const auto trace = w.faulty.trace();
      SCOPED_TRACE("fault at call " + std::to_string(n) + " (" + trace.back() + ")");
      ASSERT_TRUE(w.faulty.fired());
      EXPECT_TRUE(threw) << "the store error did not reach the caller";
      w.faulty.FailCall(0);
      const std::string after = w.State();
      bool matches = false;
      for (const auto& s : states) matches = matches || s == after;
      EXPECT_TRUE(matches) << "half-written, or announced rolled-back work:\n" << after;
    }
  }
}

}  // namespace
}  // namespace twostep::app
