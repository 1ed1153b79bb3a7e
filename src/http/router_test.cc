#include "http/router.h"

#include <gtest/gtest.h>

namespace twostep::http {
namespace {

Router Sample() {
  Router r;
  auto h = [](const HttpRequest&, const PathParams&) { return HttpResponse{}; };
  r.Add("POST", "/v1/challenges/{}/verify", Lane::kWork, h);
  r.Add("GET", "/v1/account", Lane::kWork, h);
  r.Add("DELETE", "/v1/account/trusted-devices/{}", Lane::kWork, h);
  return r;
}

TEST(RouterTest, MatchesParameters) {
  auto r = Sample();
  auto m = r.Match("POST", "/v1/challenges/chl_1/verify");
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->params.size(), 1u);
  EXPECT_EQ(m->params[0], "chl_1");
}

TEST(RouterTest, UnknownPathIs404) {
  auto m = Sample().Match("GET", "/v1/nope");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ErrorCode::kNotFound);
}

TEST(RouterTest, WrongMethodIs405) {
  auto m = Sample().Match("PUT", "/v1/account");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ErrorCode::kMethodNotAllowed);
}

TEST(RouterTest, EmptyParameterDoesNotMatch) {
  EXPECT_FALSE(Sample().Match("POST", "/v1/challenges//verify").ok());
  EXPECT_FALSE(Sample().Match("GET", "/v1/account/").ok());
}

TEST(RouterTest, HeadFallsBackToGet) {
  EXPECT_TRUE(Sample().Match("HEAD", "/v1/account").ok());
}

}  // namespace
}  // namespace twostep::http
