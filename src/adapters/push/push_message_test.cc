#include "adapters/push/push_message.h"

#include <gtest/gtest.h>

#include "i18n/messages.h"

namespace twostep::push {
namespace {

const Timestamp kNow = FromMillis(1'800'000'000'000);

Notification CodeRequest() {
  CodeRequested n;
  n.challenge_id = "chl_1";
  n.code = Secret("123456");
  n.expires_in = seconds(600);
  n.requester = {"dev-1", "Pixel 8", "GKWS6", "Android 15", "kasa", "3.4.1"};
  n.requester_ip = "203.0.113.9";
  n.requester_location = Location{"Prague", "Prague", "Czechia", "CZ"};
  return n;
}

TEST(PushMessageTest, ACodeRequestSaysWhoAndWhereButNotTheCode) {
  auto m = PushMessageOf(CodeRequest(), kNow);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, PushMessage::Kind::kSignInRequest);
  EXPECT_EQ(m->challenge_id, "chl_1");
  EXPECT_EQ(m->title, "Sign-in request");
  EXPECT_EQ(m->body, "Sign-in request from Pixel 8 near Prague");
  EXPECT_EQ(m->expires_at, kNow + seconds(600));
  for (const auto* text : {&m->title, &m->body, &m->challenge_id, &m->outcome})
    EXPECT_EQ(text->find("123456"), std::string::npos);
}

TEST(PushMessageTest, ThePlaceIsTheCityElseTheRegionElseTheCountry) {
  EXPECT_EQ(SignInSummary("en", "Laptop", std::nullopt), "Sign-in request from Laptop");
  EXPECT_EQ(SignInSummary("en", "Laptop", Location{"", "Bavaria", "Germany", "DE"}),
            "Sign-in request from Laptop near Bavaria");
  EXPECT_EQ(SignInSummary("en", "Laptop", Location{"", "", "Germany", "DE"}),
            "Sign-in request from Laptop near Germany");
  EXPECT_EQ(SignInSummary("en", "", Location{}), "Sign-in request from a new device");
}

TEST(PushMessageTest, TheAlertIsInTheAccountsLanguage) {
  auto request = CodeRequest();
  std::get<CodeRequested>(request).language = "zh-Hant";
  std::get<CodeRequested>(request).requester_location = Location{"", "", "捷克", "CZ"};
  auto m = PushMessageOf(request, kNow);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->title, i18n::Format("zh-Hant", "mail.push.sign_in_request.title"));
  EXPECT_NE(m->title, "Sign-in request");
  EXPECT_NE(m->body.find("Pixel 8"), std::string::npos);
  EXPECT_NE(m->body.find("捷克"), std::string::npos);
  EXPECT_EQ(m->body.find("Sign-in"), std::string::npos);
}

TEST(PushMessageTest, AResolvedChallengeIsASilentPushAndSignOutIsNotPushed) {
  auto m = PushMessageOf(ChallengeResolved{"chl_1", ResolvedOutcome::kDenied}, kNow);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, PushMessage::Kind::kResolved);
  EXPECT_EQ(m->challenge_id, "chl_1");
  EXPECT_EQ(m->outcome, "denied");
  EXPECT_TRUE(m->body.empty());
  EXPECT_EQ(m->expires_at, kNow + kResolvedPushLifetime);
  EXPECT_FALSE(PushMessageOf(SignedOut{SignOutReason::kDeviceRemoved, ""}, kNow));
}

}  // namespace
}  // namespace twostep::push
