#include "domain/code_seal.h"

#include <gtest/gtest.h>

#include "testing/fakes.h"

namespace twostep::domain {
namespace {

const std::string kKey(32, 'k');

TEST(CodeSealTest, OpensOnlyForItsChallengeAndKey) {
  testing::ScriptedRandom random;
  auto sealed = SealCode(kKey, "chl_a", Secret("123456"), random);
  EXPECT_EQ(sealed.find("123456"), std::string::npos);
  auto opened = OpenCode(kKey, "chl_a", sealed);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->Reveal(), "123456");
  EXPECT_FALSE(OpenCode(kKey, "chl_b", sealed));
  EXPECT_FALSE(OpenCode(std::string(32, 'x'), "chl_a", sealed));
  EXPECT_FALSE(OpenCode(kKey, "chl_a", ""));
  EXPECT_FALSE(OpenCode(kKey, "chl_a", "not base64 !!"));
  std::string tampered = sealed;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(OpenCode(kKey, "chl_a", tampered));
}

}  // namespace
}  // namespace twostep::domain
