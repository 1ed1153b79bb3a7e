// LiveKeyRing (issue #22): two instances on one store; `keys rotate` adds
// a generation; the instance that reloaded makes codes with it, and the one
// that did not still finds it when a challenge names it.
#include "app/key_ring.h"

#include <gtest/gtest.h>

#include "adapters/sodium/key_generations.h"
#include "adapters/sodium/server_keys_file.h"
#include "adapters/sqlite/sqlite_store.h"
#include "testing/fakes.h"
#include "testing/temp_dir.h"

namespace twostep::app {
namespace {

class LiveKeyRingTest : public ::testing::Test {
 protected:
  LiveKeyRingTest() : store_(dir_.path() + "/t.db") {
    files_ = {std::string(32, 'h'), std::string(32, 's')};
    files_.key_id = KeyFingerprint(files_);
  }
  StoredKeyGeneration Rotate(Timestamp at) {
    auto g = NewKeyGeneration(files_, random_, at);
    auto tx = store_.Begin();
    tx->InsertKeyGeneration(g);
    tx->Commit();
    return g;
  }

  testing::TempDir dir_;
  sqlite::SqliteStore store_;
  testing::ScriptedRandom random_;
  ServerKeys files_;
  const Timestamp t0_ = Timestamp{} + hours(24 * 365 * 50);
};

TEST_F(LiveKeyRingTest, AReloadMakesTheNewGenerationCurrentAndKeepsThePrevious) {
  LiveKeyRing ring(files_, store_);
  EXPECT_EQ(ring.Current()->key_id, files_.key_id);
  const auto g = Rotate(t0_);
  EXPECT_EQ(ring.Current()->key_id, files_.key_id);  // not before the reload
  ring.Reload();
  EXPECT_EQ(ring.Current()->key_id, g.id);
  auto tx = store_.BeginRead();
  EXPECT_TRUE(ring.Find(*tx, files_.key_id));
}

TEST_F(LiveKeyRingTest, AnInstanceThatDidNotReloadFindsTheNewGenerationInTheStore) {
  LiveKeyRing reloaded(files_, store_), not_yet(files_, store_);
  const auto g = Rotate(t0_);
  reloaded.Reload();
  auto tx = store_.BeginRead();
  const auto pair = not_yet.Find(*tx, g.id);
  ASSERT_TRUE(pair);
  EXPECT_EQ(pair->code_hmac_key, reloaded.Current()->code_hmac_key);
  EXPECT_EQ(not_yet.Current()->key_id, g.id);  // and makes its codes with it from now on
  EXPECT_FALSE(not_yet.Find(*tx, "an-id-nobody-made"));
}

TEST_F(LiveKeyRingTest, AnOlderListNeverStepsBack) {
  LiveKeyRing ring(files_, store_);
  const auto g = Rotate(t0_);
  ring.Reload();
  {
    auto tx = store_.Begin();  // the list as a reader with an older snapshot saw it
    tx->DeleteKeyGeneration(g.id);
    EXPECT_FALSE(ring.Find(*tx, "unknown-id"));
  }
  EXPECT_EQ(ring.Current()->key_id, g.id);
}

}  // namespace
}  // namespace twostep::app
