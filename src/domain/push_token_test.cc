#include "domain/push_token.h"

#include <gtest/gtest.h>

namespace twostep::domain {
namespace {

TEST(PushTokenTest, ProvidersByName) {
  EXPECT_EQ(ParsePushProvider("fcm"), PushProvider::kFcm);
  EXPECT_EQ(ParsePushProvider("apns"), PushProvider::kApns);
  EXPECT_FALSE(ParsePushProvider("FCM"));
  EXPECT_FALSE(ParsePushProvider("webhook"));
  EXPECT_EQ(PushProviderName(PushProvider::kApns), "apns");
}

TEST(PushTokenTest, ApnsTokensAreEvenLengthHexOf32To100Bytes) {
  EXPECT_TRUE(IsValidPushToken(PushProvider::kApns, std::string(64, 'a')));
  EXPECT_TRUE(IsValidPushToken(PushProvider::kApns, std::string(200, 'F')));
  EXPECT_FALSE(IsValidPushToken(PushProvider::kApns, std::string(62, 'a')));
  EXPECT_FALSE(IsValidPushToken(PushProvider::kApns, std::string(65, 'a')));
  EXPECT_FALSE(IsValidPushToken(PushProvider::kApns, std::string(63, 'a') + "g"));
  EXPECT_FALSE(IsValidPushToken(PushProvider::kApns, std::string(63, 'a') + "/"));
}

TEST(PushTokenTest, FcmTokensAreUrlSafeTextUpTo1024) {
  EXPECT_TRUE(IsValidPushToken(PushProvider::kFcm, "dXk3:APA91bH-x_y.z"));
  EXPECT_TRUE(IsValidPushToken(PushProvider::kFcm, std::string(1024, 'x')));
  EXPECT_FALSE(IsValidPushToken(PushProvider::kFcm, ""));
  EXPECT_FALSE(IsValidPushToken(PushProvider::kFcm, std::string(1025, 'x')));
  EXPECT_FALSE(IsValidPushToken(PushProvider::kFcm, "a b"));
  EXPECT_FALSE(IsValidPushToken(PushProvider::kFcm, "a/b"));
  EXPECT_FALSE(IsValidPushToken(PushProvider::kFcm, std::string("a\0b", 3)));
}

}  // namespace
}  // namespace twostep::domain
