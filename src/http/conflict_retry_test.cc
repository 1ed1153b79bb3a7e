#include "http/conflict_retry.h"

#include <gtest/gtest.h>

namespace twostep::http {
namespace {

TEST(ConflictRetryTest, RunsAgainAfterAConflictAndReturnsTheResult) {
  int runs = 0;
  int retries = 0;
  int result = RunWithConflictRetries(
      [&] {
        if (++runs < 3) throw StoreConflict("deadlock");
        return 42;
      },
      3, [&](const StoreConflict&) { ++retries; });
  EXPECT_EQ(result, 42);
  EXPECT_EQ(runs, 3);
  EXPECT_EQ(retries, 2);
}

TEST(ConflictRetryTest, GivesUpAfterTheLastAttempt) {
  int runs = 0;
  EXPECT_THROW(RunWithConflictRetries([&]() -> int { ++runs; throw StoreConflict("deadlock"); }, 3),
               StoreConflict);
  EXPECT_EQ(runs, 3);
}

TEST(ConflictRetryTest, OtherStoreErrorsAreNotRetried) {
  int runs = 0;
  EXPECT_THROW(RunWithConflictRetries([&]() -> int { ++runs; throw StoreError("disk full"); }, 3),
               StoreError);
  EXPECT_EQ(runs, 1);
}

}  // namespace
}  // namespace twostep::http
