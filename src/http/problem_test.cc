#include "http/problem.h"

#include <gtest/gtest.h>

namespace twostep::http {
namespace {

bool HasHeader(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return true;
  return false;
}

// 401 tells the web app its token is gone (it signs out); a wrong password
// at sign-in is 401, but on a call with a valid token it must be 403.
TEST(ProblemTest, WrongCredentialsAtSignInAre401) {
  auto r = ProblemResponse(Error::InvalidCredentials());
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(HasHeader(r, "WWW-Authenticate"));
  EXPECT_NE(r.body.find(R"("code":"invalid_credentials")"), std::string::npos) << r.body;
}

TEST(ProblemTest, WrongPasswordOfASignedInCallerIs403WithTheSameCode) {
  auto r = ProblemResponse(Error::WrongPassword("The password is not correct."));
  EXPECT_EQ(r.status, 403);
  EXPECT_FALSE(HasHeader(r, "WWW-Authenticate"));
  EXPECT_NE(r.body.find(R"("code":"invalid_credentials")"), std::string::npos) << r.body;
}

TEST(ProblemTest, AnInvalidTokenIs401) {
  auto r = ProblemResponse(Error::Unauthorized());
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.body.find(R"("code":"unauthorized")"), std::string::npos) << r.body;
}

TEST(ProblemTest, RetryAfterIsAHeaderAndAMember) {
  auto r = ProblemResponse(Error::RateLimited(std::chrono::seconds(7)));
  EXPECT_EQ(r.status, 429);
  EXPECT_NE(r.body.find(R"("retry_after":7)"), std::string::npos) << r.body;
  ASSERT_TRUE(HasHeader(r, "Retry-After"));
}

}  // namespace
}  // namespace twostep::http
