#include "domain/digests.h"

#include <gtest/gtest.h>

namespace twostep::domain {
namespace {

const std::string kKey(32, 'k');

TEST(DigestsTest, CodeMatchesOnlyItsOwnChallenge) {
  Secret code("123456");
  auto stored = HashCode(kKey, "chl_a", code);
  EXPECT_TRUE(CodeMatches(kKey, "chl_a", code, stored));
  EXPECT_FALSE(CodeMatches(kKey, "chl_b", code, stored));
  EXPECT_FALSE(CodeMatches(kKey, "chl_a", Secret("123457"), stored));
}

TEST(DigestsTest, CodeHashDependsOnTheServerKey) {
  Secret code("123456");
  EXPECT_NE(HashCode(kKey, "c", code), HashCode(std::string(32, 'x'), "c", code));
  EXPECT_EQ(HashCode(kKey, "c", code).size(), 64u);
  EXPECT_EQ(HashCode(kKey, "c", code).find("123456"), std::string::npos);
}

TEST(DigestsTest, TokenHashIsSha256Hex) {
  // SHA-256("abc")
  EXPECT_EQ(HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace twostep::domain
