// Every use case that only reads, reached as the API reaches it (the real
// router, BuildApiRouter, and CallHandler as the server calls a handler),
// with the store failing at each of its calls in turn, on SQLite and on
// PostgreSQL (testing/store_faults_world.h; the use cases that write are in
// store_faults_test.cc). Each time:
//   - the answer is 503 unavailable with Retry-After (or, for the two
//     token checks that are no route of their own, the StoreError reaches
//     the caller: Authed routes and the WebSocket's auth answer it so);
//   - nothing was emitted and nothing written: rows, notifications and
//     counters are what they were before the request.
// Without a fault each read answers 200 and leaves the same state.
#include <functional>

#include <gtest/gtest.h>

#include "http/api.h"
#include "http/handler_call.h"
#include "http/problem.h"
#include "testing/store_faults_world.h"

namespace twostep::app::faults {
namespace {

constexpr const char* kAdmin = "admin-token-for-the-fault-tests-0001";

// The world, with the router the server builds on its use cases.
struct ApiWorld : World {
  explicit ApiWorld(const Backend& b) : World(b) {}

  http::HttpResponse Call(const std::string& method, const std::string& path,
                          const std::string& token) {
    http::HttpRequest req;
    req.method = method;
    req.path = path;
    auto q = path.find('?');
    if (q != std::string::npos) {
      req.path = path.substr(0, q);
      // One key=value pair is all these reads take.
      auto query = path.substr(q + 1);
      auto eq = query.find('=');
      req.query[query.substr(0, eq)] = query.substr(eq + 1);
    }
    if (!token.empty()) req.authorization = "Bearer " + token;
    req.client_ip = "203.0.113.7";
    auto match = router.Match(req.method, req.path);
    return match ? http::CallHandler(*match, req) : http::ProblemResponse(match.error());
  }

  http::Router router = http::BuildApiRouter(uses.Api(), {kAdmin, {}});
};

// A read: either a request to the API (method, path, bearer token), or a
// direct call of a token check that throws the StoreError to its caller.
struct Read {
  std::string method, path, token;
  std::function<void()> direct;
};

struct ReadCase {
  const char* name;
  std::function<Read(ApiWorld&)> prepare;  // runs before the fault is armed
};

std::vector<ReadCase> ReadCases() {
  auto get = [](std::string path) {
    return [path](ApiWorld& w) { return Read{"GET", path, std::string(w.phone_session.access_token.Reveal()), {}}; };
  };
  return {
      {"GetAccount", get("/v1/account")},
      {"Security", get("/v1/account/security")},
      {"TrustedDevices", get("/v1/account/trusted-devices")},
      {"LoginActivity", get("/v1/account/login-activity?limit=5")},
      {"PendingNotifications", [](ApiWorld& w) {
         w.Challenge();
         return Read{"GET", "/v1/notifications/pending", std::string(w.phone_session.access_token.Reveal()), {}};
       }},
      {"ChallengeStatus", [](ApiWorld& w) {
         return Read{"GET", "/v1/challenges/" + w.Challenge().first, "", {}};
       }},
      {"GetRollout", [](ApiWorld&) {
         return Read{"GET", "/v1/admin/rollout/two_step/kasa", kAdmin, {}};
       }},
      {"Authenticate", [](ApiWorld& w) {
         return Read{"", "", "", [&w] { (void)w.sessions.Authenticate(w.phone_session.access_token); }};
       }},
      {"AuthenticateDevice", [](ApiWorld& w) {
         return Read{"", "", "", [&w] {
                       (void)w.sessions.AuthenticateDevice(w.phone_session.access_token);
                     }};
       }},
  };
}

// Runs `read`: its HTTP status, or 503 when a direct call threw StoreError.
int Answer(ApiWorld& w, const Read& read, std::string* retry_after) {
  if (read.direct) {
    try {
      read.direct();
      return 200;
    } catch (const StoreError&) {
      *retry_after = "direct";
      return 503;
    }
  }
  auto r = w.Call(read.method, read.path, read.token);
  for (const auto& [name, value] : r.headers)
    if (name == "Retry-After") *retry_after = value;
  return r.status;
}

using StoreFaultsReadTest = StoreFaultsBackend;
TWOSTEP_ON_BOTH_STORES(StoreFaultsReadTest);

TEST_P(StoreFaultsReadTest, EveryReadAnswers503AtEveryStoreCallAndEmitsNothing) {
  for (const auto& c : ReadCases()) {
    SCOPED_TRACE(c.name);
    int calls = 0;
    {
      ApiWorld w(backend_);
      const Read read = c.prepare(w);
      const std::string before = w.State();
      w.faulty.FailCall(0);
      std::string retry_after;
      EXPECT_EQ(Answer(w, read, &retry_after), 200);
      calls = w.faulty.calls();
      EXPECT_EQ(w.State(), before) << "a read wrote or emitted something";
    }
    ASSERT_GT(calls, 0);
    for (int n = 1; n <= calls; ++n) {
      ApiWorld w(backend_);
      const Read read = c.prepare(w);
      const std::string before = w.State();
      w.faulty.FailCall(n);
      std::string retry_after;
      const int status = Answer(w, read, &retry_after);
      SCOPED_TRACE("fault at call " + std::to_string(n) + " (" + w.faulty.trace().back() + ")");
      ASSERT_TRUE(w.faulty.fired());
      EXPECT_EQ(status, 503);
      EXPECT_FALSE(retry_after.empty()) << "503 without Retry-After";
      w.faulty.FailCall(0);
      EXPECT_EQ(w.State(), before) << "emitted or wrote something for a failed read";
    }
  }
}

}  // namespace
}  // namespace twostep::app::faults
