#include "base/live_value.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace twostep {
namespace {

TEST(LiveValueTest, ReadersKeepTheirSnapshotAcrossASet) {
  LiveValue<std::string> value("old");
  auto held = value.Get();
  value.Set("new");
  EXPECT_EQ(*held, "old");
  EXPECT_EQ(*value.Get(), "new");
}

// Run under TSan by scripts/hardening.sh (twostep_concurrency_tests): readers
// always see a whole value, one of those published, while a writer swaps.
TEST(LiveValueConcurrencyTest, ReadersSeeWholeValuesWhileAWriterSwaps) {
  LiveValue<std::vector<int>> value(std::vector<int>(64, 0));
  std::atomic<bool> stop{false};
  std::atomic<int> torn{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t)
    readers.emplace_back([&] {
      while (!stop.load()) {
        auto snapshot = value.Get();
        for (int x : *snapshot)
          if (x != snapshot->front()) torn.fetch_add(1);
      }
    });
  for (int i = 1; i <= 2000; ++i) value.Set(std::vector<int>(64, i));
  stop = true;
  for (auto& r : readers) r.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_EQ(value.Get()->front(), 2000);
}

}  // namespace
}  // namespace twostep
