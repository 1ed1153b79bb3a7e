// Every use case that writes, with the store failing at each of its calls
// in turn (testing/faulty_store.h, issue 16 item 4), on SQLite and on
// PostgreSQL (testing/store_faults_world.h). Each time:
//   - the StoreError reaches the caller (the HTTP boundary answers it 503,
//     http/handler_call_test.cc);
//   - nothing is half-written: the database holds exactly what it held
//     between two of the use case's units of work in a run without the
//     fault (a dump of every row of every table, outbox included);
//   - no notification and no counter went out for rolled-back work: they
//     too are what they were at that same moment.
#include <functional>

#include <gtest/gtest.h>

#include "testing/store_faults_world.h"

namespace twostep::app::faults {
namespace {

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
      {"VerifyEnableTwoStep", [](World& w) {
         auto cid = w.registration.Register({"bob@example.com", kStrong, "kasa", std::nullopt, ""});
         EXPECT_TRUE(w.registration.VerifyEmail(*cid, Secret(w.LastCodeTo("bob@example.com"))).ok());
         domain::DeviceDescription tablet{"tablet-0001", "Tab", "S9", "Android 15", "kasa", "1"};
         auto s = std::get<IssuedSession>(w.sign_in.Run({"bob@example.com", kStrong, tablet, {}, ""}).value());
         auto caller = w.sessions.Authenticate(s.access_token).value();
         auto id = w.two_step.Enable(caller, std::nullopt, "").value().challenge->challenge_id;
         auto code = w.LastCodeTo("bob@example.com");
         return [&w, caller, id, code] { (void)w.two_step.VerifyEnable(caller, id, Secret(code), ""); };
       }},
      {"RegisterPush", [](World& w) {
         return [&w] { (void)w.push.Register(w.phone_caller, {"fcm", "token-0001", false}); };
       }},
      {"UnregisterPush", [](World& w) {
         EXPECT_TRUE(w.push.Register(w.phone_caller, {"fcm", "token-0001", false}).ok());
         return [&w] { w.push.Unregister(w.phone_caller); };
       }},
  };
}

using StoreFaultsTest = StoreFaultsBackend;
TWOSTEP_ON_BOTH_STORES(StoreFaultsTest);

TEST_P(StoreFaultsTest, EveryUseCaseRollsBackCleanlyAtEveryStoreCall) {
  for (const auto& use_case : UseCases()) {
    SCOPED_TRACE(use_case.name);
    // Without a fault: how many store calls it makes, and the states
    // between its units of work.
    std::vector<std::string> states;
    int calls = 0;
    {
      World w(backend_);
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
      World w(backend_);
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
}  // namespace twostep::app::faults
