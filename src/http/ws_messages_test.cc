#include "http/ws_messages.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace twostep::http {
namespace {

TEST(WsMessagesTest, DecodesTheAuthMessage) {
  auto t = DecodeAuthMessage(R"({"type":"auth","token":"abc_DEF-123"})");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->Reveal(), "abc_DEF-123");
}

TEST(WsMessagesTest, RefusesEverythingElse) {
  for (std::string_view text : {
           R"({"type":"hello","token":"abc"})", R"({"type":"auth"})", R"({"type":"auth","token":5})",
           R"({"token":"abc"})", R"([{"type":"auth","token":"abc"}])", R"({"type":"auth","token":"abc")",
           R"({"type":"auth","token":"a","token":"b"})", R"({"type":"auth","token":"a\u0000b"})",
           "{\"type\":\"auth\",\"token\":\"\xff\"}", "", "null"}) {
    EXPECT_FALSE(DecodeAuthMessage(text).has_value()) << text;
  }
  std::string long_token(kMaxWsTokenBytes + 1, 'a');
  EXPECT_FALSE(DecodeAuthMessage(R"({"type":"auth","token":")" + long_token + "\"}").has_value());
  long_token.pop_back();
  EXPECT_TRUE(DecodeAuthMessage(R"({"type":"auth","token":")" + long_token + "\"}").has_value());
}

TEST(WsMessagesTest, ErrorTextIsJsonWithEscapes) {
  auto v = boost::json::parse(WsErrorText("auth_timeout", "Say \"auth\" first."));
  EXPECT_EQ(v.at("type"), "error");
  EXPECT_EQ(v.at("code"), "auth_timeout");
  EXPECT_EQ(v.at("detail"), "Say \"auth\" first.");
}

}  // namespace
}  // namespace twostep::http
