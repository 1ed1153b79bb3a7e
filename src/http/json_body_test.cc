#include "http/json_body.h"

#include <gtest/gtest.h>

namespace twostep::http {
namespace {

TEST(JsonBodyTest, RejectsMalformedAndNonObjects) {
  for (const char* body : {"", "{", "[]", "42", "\"x\"", "{\"a\":1} trailing", "{'a':1}",
                           "{\"a\":1,}"}) {
    auto r = ParseObject(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidRequest);
  }
}

TEST(JsonBodyTest, RejectsDeepNestingAndDuplicates) {
  std::string deep(50, '[');
  EXPECT_FALSE(ParseObject("{\"a\":" + deep + std::string(50, ']') + "}").ok());
  EXPECT_FALSE(ParseObject(R"({"a":1,"a":2})").ok());
}

TEST(JsonBodyTest, RejectsInvalidUtf8) {
  EXPECT_FALSE(ParseObject("{\"a\":\"\xff\xfe\"}").ok());
}

TEST(JsonBodyTest, TypedFieldsSayWhichFieldIsWrong) {
  auto o = ParseObject(R"({"email": 5, "flag": "yes", "s": "a\u0000b"})");
  ASSERT_TRUE(o.ok());
  auto e = RequiredString(*o, "email");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().detail.find("email"), std::string::npos);
  EXPECT_FALSE(RequiredBool(*o, "flag").ok());
  EXPECT_FALSE(RequiredString(*o, "missing").ok());
  EXPECT_FALSE(RequiredString(*o, "s").ok());  // NUL inside
}

TEST(JsonBodyTest, DeviceIdIsValidated) {
  auto ok = ParseObject(R"({"device": {"id": "abcdEFGH_12-", "name": "Pixel 8"}})");
  ASSERT_TRUE(ok.ok());
  auto d = RequiredDevice(*ok, "device");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->name, "Pixel 8");
  for (const char* body : {R"({"device": {"id": "short"}})", R"({"device": {"id": "has space 123"}})",
                           R"({"device": "abc"})", R"({"device": {"id": "abcdefgh", "name": 3}})",
                           R"({"device": {"id": "abcdefgh", "name": "a\nb"}})"}) {
    auto o = ParseObject(body);
    ASSERT_TRUE(o.ok());
    EXPECT_FALSE(RequiredDevice(*o, "device").ok()) << body;
  }
}

TEST(JsonBodyTest, DeviceDescriptionsFollowTheSpecRule) {
  // SPEC §2: NFC, 1-64 characters, no control or format characters; the
  // detail names the field.
  auto o = ParseObject(R"({"device": {"id": "abcdEFGH_12-", "name": "Rene\u0301", "os": "Android 15"}})");
  ASSERT_TRUE(o.ok());
  auto d = RequiredDevice(*o, "device");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->name, "Ren\xC3\xA9");
  EXPECT_EQ(d->model, "");  // not sent: stays empty
  for (const char* body : {R"({"device": {"id": "abcdefgh", "name": "evil\u202Eexe"}})",
                           R"({"device": {"id": "abcdefgh", "name": "bell\u0007"}})",
                           R"({"device": {"id": "abcdefgh", "name": ""}})"}) {
    auto bad = ParseObject(body);
    ASSERT_TRUE(bad.ok());
    auto r = RequiredDevice(*bad, "device");
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_NE(r.error().detail.find("device.name"), std::string::npos) << r.error().detail;
  }
}

}  // namespace
}  // namespace twostep::http
