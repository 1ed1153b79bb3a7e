// Key generations (issue #22): sealed under the key file's pair, opened by
// whoever holds that file (or keeps it as an extra after replacing it),
// the newest makes codes and the others stay to check theirs.
#include "adapters/sodium/key_generations.h"

#include <gtest/gtest.h>

#include "adapters/sodium/server_keys_file.h"
#include "testing/fakes.h"

namespace twostep {
namespace {

ServerKeys Files(char fill) {
  ServerKeys k{std::string(32, fill), std::string(32, static_cast<char>(fill + 1))};
  k.key_id = KeyFingerprint(k);
  return k;
}

class KeyGenerationsTest : public ::testing::Test {
 protected:
  testing::ScriptedRandom random_;
  const Timestamp t0_ = Timestamp{} + hours(24 * 365 * 50);
};

TEST_F(KeyGenerationsTest, OpensOnlyWithTheKeyFileItWasSealedUnder) {
  const ServerKeys files = Files('a');
  const auto g = NewKeyGeneration(files, random_, t0_);
  auto pair = OpenKeyGeneration(files, g);
  ASSERT_TRUE(pair);
  EXPECT_EQ(KeyFingerprint({pair->code_hmac_key, pair->seal_key}), g.id);
  EXPECT_NE(pair->code_hmac_key, files.code_hmac_key);
  EXPECT_FALSE(OpenKeyGeneration(Files('x'), g));
  // Replaced key file kept as an extra: still opens.
  ServerKeys replaced = Files('x');
  replaced.others[files.key_id] = {files.code_hmac_key, files.seal_key};
  EXPECT_TRUE(OpenKeyGeneration(replaced, g));
  // Sealed text or id changed: nothing opens.
  auto forged = g;
  forged.id = Files('q').key_id;
  EXPECT_FALSE(OpenKeyGeneration(files, forged));
}

TEST_F(KeyGenerationsTest, TheNewestMakesCodesAndEveryOtherPairIsKept) {
  const ServerKeys files = Files('a');
  EXPECT_EQ(KeyRingOf(files, {}).key_id, files.key_id);
  const auto first = NewKeyGeneration(files, random_, t0_);
  const auto second = NewKeyGeneration(files, random_, t0_ + seconds(1));
  const auto foreign = NewKeyGeneration(Files('x'), random_, t0_ + seconds(2));
  const ServerKeys ring = KeyRingOf(files, {first, second, foreign});
  EXPECT_EQ(ring.key_id, second.id);  // the foreign one does not open: left out
  EXPECT_TRUE(ring.ForKeyId(first.id));
  EXPECT_TRUE(ring.ForKeyId(files.key_id));
  EXPECT_FALSE(ring.ForKeyId(foreign.id));
  EXPECT_EQ(ring.others.size(), 2u);
}

TEST_F(KeyGenerationsTest, AGenerationRetiresTwoDaysAfterItWasReplaced) {
  const ServerKeys files = Files('a');
  const auto a = NewKeyGeneration(files, random_, t0_);
  const auto b = NewKeyGeneration(files, random_, t0_ + hours(1));
  const auto c = NewKeyGeneration(files, random_, t0_ + hours(60));
  EXPECT_TRUE(RetiredGenerations({a, b, c}, t0_ + hours(2)).empty());
  EXPECT_EQ(RetiredGenerations({a, b, c}, t0_ + hours(50)), std::vector<std::string>{a.id});
  EXPECT_EQ(RetiredGenerations({a, b, c}, t0_ + hours(200)),
            (std::vector<std::string>{a.id, b.id}));
}

}  // namespace
}  // namespace twostep
