// The API handlers through the real router, without sockets: the same
// router twostepd serves (BuildApiRouter) over the service fixture's real
// SQLite store, manual clock and recording fakes. A request is matched and
// its handler called (CallHandler) as http/http_session.cc does, minus the lanes.
#include "http/api.h"

#include <boost/json.hpp>

#include "http/handler_call.h"
#include "http/problem.h"
#include "testing/service_fixture.h"

namespace twostep::http {
namespace {

namespace json = boost::json;

constexpr const char* kEmail = "ann@example.com";
constexpr const char* kStrong = "correct horse battery staple 42";

struct Answer {
  int status = 0;
  json::value body;
  std::string code() const {
    const auto* o = body.if_object();
    const auto* c = o ? o->if_contains("code") : nullptr;
    return c && c->is_string() ? std::string(c->get_string()) : "";
  }
  std::string Str(std::string_view key) const { return std::string(body.at(key).as_string()); }
};

json::object Device(const std::string& id) {
  return {{"id", id},           {"name", "Pixel 8"}, {"model", "GKWS6"},
          {"os", "Android 15"}, {"app", "kasa"},     {"app_version", "1"}};
}

class ApiRouterTest : public testing::ServiceFixture {
 protected:
  Answer Call(const std::string& method, const std::string& path, const std::string& body = "",
              const std::string& token = "") {
    HttpRequest req;
    req.method = method;
    req.path = path;
    req.body = body;
    if (!body.empty()) req.content_type = "application/json";
    if (!token.empty()) req.authorization = "Bearer " + token;
    req.client_ip = "203.0.113.7";
    auto match = router_.Match(req.method, req.path);
    // As http/server.cc does, minus the lanes.
    HttpResponse r = match ? CallHandler(*match, req) : ProblemResponse(match.error());
    Answer a{r.status, {}};
    if (!r.body.empty()) a.body = json::parse(r.body);
    return a;
  }
  Answer Post(const std::string& path, const json::object& body, const std::string& token = "") {
    return Call("POST", path, json::serialize(body), token);
  }

  void Register() {
    auto r = Post("/v1/accounts", {{"email", kEmail}, {"password", kStrong}, {"app", "kasa"}});
    ASSERT_EQ(r.status, 202);
    auto v = Post("/v1/accounts/verify-email",
                  {{"challenge_id", r.Str("challenge_id")}, {"code", LastCodeTo(kEmail)}});
    ASSERT_EQ(v.status, 200);
  }
  Answer SignIn(const std::string& device_id, const std::string& password = kStrong) {
    return Post("/v1/sessions",
                {{"email", kEmail}, {"password", password}, {"device", Device(device_id)}});
  }
  // Signs in with 2SV off, then turns it on: the returned access token's
  // session acts as the trusted device `device_id`.
  std::string TrustedPhone(const std::string& device_id) {
    auto s = SignIn(device_id);
    EXPECT_EQ(s.status, 200);
    const std::string token = s.Str("access_token");
    auto on = Post("/v1/account/two-step", {{"enabled", true}}, token);
    EXPECT_EQ(on.status, 202);
    auto v = Post("/v1/account/two-step/verify",
                  {{"challenge_id", on.Str("challenge_id")}, {"code", LastCodeTo(kEmail)}}, token);
    EXPECT_EQ(v.status, 200);
    return token;
  }
  // A second device through a challenge whose code reached the phone.
  Answer SignInWithAppCode(const std::string& device_id, bool trust) {
    auto c = SignIn(device_id);
    EXPECT_EQ(c.status, 202);
    EXPECT_FALSE(notifier_.sent.empty());
    if (notifier_.sent.empty()) return c;
    const std::string code(
        std::get<CodeRequested>(notifier_.sent.back().notification).code.Reveal());
    return Post("/v1/challenges/" + c.Str("challenge_id") + "/verify",
                {{"code", code}, {"trust_device", trust}});
  }

  Router router_ = BuildApiRouter(uses_.Api());
};

TEST_F(ApiRouterTest, SignInAnswers200WithASession) {
  Register();
  auto s = SignIn("phone-0001");
  EXPECT_EQ(s.status, 200);
  EXPECT_EQ(s.body.at("token_type").as_string(), "Bearer");
  EXPECT_EQ(Call("GET", "/v1/account", "", s.Str("access_token")).status, 200);
}

TEST_F(ApiRouterTest, SignInOfANewDeviceWithTwoStepAnswers202) {
  Register();
  TrustedPhone("phone-0001");
  auto c = SignIn("laptop-0001");
  EXPECT_EQ(c.status, 202);
  EXPECT_EQ(c.Str("method"), "app");
  EXPECT_FALSE(c.Str("challenge_id").empty());
}

TEST_F(ApiRouterTest, WrongPasswordAtSignInIs401) {
  Register();
  auto r = SignIn("phone-0001", "not the password 1");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.code(), "invalid_credentials");
}

TEST_F(ApiRouterTest, WrongCurrentPasswordOfASignedInCallerIs403) {
  Register();
  const std::string token = SignIn("phone-0001").Str("access_token");
  auto r = Post(
      "/v1/account/password",
      {{"current_password", "not the password 1"}, {"new_password", "a new strong one 77"}}, token);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.code(), "invalid_credentials");
}

TEST_F(ApiRouterTest, MalformedJsonIs400) {
  auto r = Call("POST", "/v1/sessions", "{\"email\": ");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.code(), "invalid_request");
}

TEST_F(ApiRouterTest, AuthenticatedGetWithoutOrWithABadTokenIs401) {
  auto none = Call("GET", "/v1/account");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.code(), "unauthorized");
  auto bad = Call("GET", "/v1/account", "", "not-a-token");
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(bad.code(), "unauthorized");
}

TEST_F(ApiRouterTest, DenyAndPendingNeedATrustedDevice) {
  Register();
  TrustedPhone("phone-0001");
  auto challenge = SignIn("laptop-0001");
  ASSERT_EQ(challenge.status, 202);
  // A session whose device was not trusted (it declined "trust this device").
  auto untrusted = SignInWithAppCode("tablet-0001", /*trust=*/false);
  ASSERT_EQ(untrusted.status, 200);
  const std::string token = untrusted.Str("access_token");
  auto pending = Call("GET", "/v1/notifications/pending", "", token);
  EXPECT_EQ(pending.status, 403);
  EXPECT_EQ(pending.code(), "forbidden");
  auto deny = Call("POST", "/v1/challenges/" + challenge.Str("challenge_id") + "/deny", "", token);
  EXPECT_EQ(deny.status, 403);
  EXPECT_EQ(deny.code(), "forbidden");
}

TEST_F(ApiRouterTest, TheTrustedPhoneSeesAndDeniesAPendingSignIn) {
  Register();
  const std::string phone = TrustedPhone("phone-0001");
  auto challenge = SignIn("laptop-0001");
  ASSERT_EQ(challenge.status, 202);
  auto pending = Call("GET", "/v1/notifications/pending", "", phone);
  ASSERT_EQ(pending.status, 200);
  EXPECT_EQ(pending.body.as_array().size(), 1u);
  auto deny = Call("POST", "/v1/challenges/" + challenge.Str("challenge_id") + "/deny", "", phone);
  EXPECT_EQ(deny.status, 200);
  EXPECT_EQ(deny.Str("outcome"), "denied");
}

TEST_F(ApiRouterTest, RemovingADeviceIs204AndItsTokenStopsWorking) {
  Register();
  const std::string phone = TrustedPhone("phone-0001");
  auto laptop = SignInWithAppCode("laptop-0001", /*trust=*/true);
  ASSERT_EQ(laptop.status, 200);
  const std::string laptop_token = laptop.Str("access_token");
  ASSERT_EQ(Call("GET", "/v1/account", "", laptop_token).status, 200);
  auto removed = Call("DELETE", "/v1/account/trusted-devices/laptop-0001", "", phone);
  EXPECT_EQ(removed.status, 204);
  auto after = Call("GET", "/v1/account", "", laptop_token);
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(after.code(), "unauthorized");
  EXPECT_EQ(Call("GET", "/v1/account", "", phone).status, 200);
}

}  // namespace
}  // namespace twostep::http
