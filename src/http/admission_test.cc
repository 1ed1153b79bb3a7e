#include "http/admission.h"

#include <gtest/gtest.h>

namespace twostep::http {
namespace {

using namespace std::chrono_literals;
using std::chrono::nanoseconds;

TEST(ExpectedWaitTest, IsTheTasksAheadTimesTheirMeanOverTheThreads) {
  EXPECT_EQ(ExpectedWait(0, 2, 100ms), nanoseconds(0));
  EXPECT_EQ(ExpectedWait(3, 2, 100ms), nanoseconds(150ms));
  EXPECT_EQ(ExpectedWait(3, 1, 100ms), nanoseconds(300ms));
  EXPECT_EQ(ExpectedWait(100000, 256, 3600s), nanoseconds(3600s) * 100000 / 256);  // no overflow
  EXPECT_EQ(ExpectedWait(5, 2, std::nullopt), std::nullopt);  // no estimate yet
}

TEST(AdmitTest, ShedsPastTheWaitBoundAndAdmitsAtIt) {
  const AdmissionLimits limits{1024, 1000ms};
  // 3 threads, 100 ms a task: 30 ahead is exactly 1 s, 31 ahead 1.033 s.
  EXPECT_TRUE(Admit(0, 3, 100ms, limits));
  EXPECT_TRUE(Admit(30, 3, 100ms, limits));
  EXPECT_FALSE(Admit(31, 3, 100ms, limits));
  // One nanosecond past the bound is past it.
  EXPECT_TRUE(Admit(10, 1, 100ms, limits));
  EXPECT_FALSE(Admit(10, 1, 100ms + 1ns, limits));
}

TEST(AdmitTest, TheCountIsTheHardBoundWhateverTheWait) {
  const AdmissionLimits limits{4, 1000ms};
  EXPECT_TRUE(Admit(3, 1, 1ns, limits));
  EXPECT_FALSE(Admit(4, 1, 1ns, limits));
  EXPECT_FALSE(Admit(4, 1, std::nullopt, limits));
}

TEST(AdmitTest, WithoutAnEstimateTheCountAloneDecides) {
  const AdmissionLimits limits{4, 1ns};
  EXPECT_TRUE(Admit(3, 1, std::nullopt, limits));
  EXPECT_FALSE(Admit(4, 1, std::nullopt, limits));
}

TEST(AdmitTest, AZeroWaitBoundIsOff) {
  const AdmissionLimits limits{4, 0ns};
  EXPECT_TRUE(Admit(3, 1, 3600s, limits));
  EXPECT_FALSE(Admit(4, 1, 3600s, limits));
}

TEST(RunTimeMeanTest, StartsFromTheFirstRunThenWeighsEachNewOneBy1Over16) {
  RunTimeMean mean;
  EXPECT_EQ(mean.Get(), std::nullopt);
  mean.Add(100ms);
  EXPECT_EQ(mean.Get(), nanoseconds(100ms));
  mean.Add(260ms);  // 100 + (260 - 100) / 16
  EXPECT_EQ(mean.Get(), nanoseconds(110ms));
  mean.Add(110ms);  // a run at the mean leaves it
  EXPECT_EQ(mean.Get(), nanoseconds(110ms));
}

}  // namespace
}  // namespace twostep::http
