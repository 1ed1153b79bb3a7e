#include "domain/random_values.h"

#include <gtest/gtest.h>

#include "testing/fakes.h"

namespace twostep::domain {
namespace {

std::vector<uint8_t> Le32(uint32_t v) {
  return {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)};
}

TEST(RandomValuesTest, CodeIsSixDigitsWithLeadingZeros) {
  testing::ScriptedRandom random(Le32(42));
  EXPECT_EQ(GenerateCode(random).Reveal(), "000042");
}

TEST(RandomValuesTest, CodeRejectsValuesAboveTheLastFullRange) {
  // 2^32 - (2^32 mod 10^6) = 4294000000: that and above are rejected, so
  // the next word decides.
  auto script = Le32(4294000000u);
  auto next = Le32(123456);
  script.insert(script.end(), next.begin(), next.end());
  testing::ScriptedRandom random(script);
  EXPECT_EQ(GenerateCode(random).Reveal(), "123456");
}

TEST(RandomValuesTest, CodeAcceptsTheLargestUnbiasedValue) {
  testing::ScriptedRandom random(Le32(4293999999u));
  EXPECT_EQ(GenerateCode(random).Reveal(), "999999");
}

TEST(RandomValuesTest, TokenIs43Base64UrlChars) {
  testing::ScriptedRandom random;
  auto t = GenerateToken(random);
  ASSERT_EQ(t.size(), 43u);
  for (char ch : t.Reveal()) EXPECT_TRUE(isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_');
  EXPECT_NE(GenerateToken(random).Reveal(), t.Reveal());
}

TEST(RandomValuesTest, IdHasPrefixAnd32HexDigits) {
  testing::ScriptedRandom random;
  auto id = GenerateId(random, "acc");
  ASSERT_EQ(id.size(), 36u);
  EXPECT_EQ(id.substr(0, 4), "acc_");
}

}  // namespace
}  // namespace twostep::domain
