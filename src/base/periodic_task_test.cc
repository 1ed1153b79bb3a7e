#include "base/periodic_task.h"

#include <future>

#include <gtest/gtest.h>

namespace twostep {
namespace {

TEST(PeriodicTaskTest, RunsAtStartWhenAskedAndStopsWithoutWaitingOutTheInterval) {
  std::promise<void> ran;
  int runs = 0;
  PeriodicTask task("test", std::chrono::hours(1), /*run_at_start=*/true, [&] {
    if (++runs == 1) ran.set_value();
  });
  task.Start();
  ran.get_future().wait();  // the first run, at once
  task.Stop();              // wakes the hour-long wait and joins
  EXPECT_EQ(runs, 1);
}

TEST(PeriodicTaskTest, AFailingRunDoesNotEndTheTask) {
  std::promise<void> second;
  int runs = 0;
  PeriodicTask task("test", std::chrono::milliseconds(1), /*run_at_start=*/false, [&] {
    if (++runs == 1) throw std::runtime_error("first run fails");
    if (runs == 2) second.set_value();
  });
  task.Start();
  second.get_future().wait();
  task.Stop();
  EXPECT_GE(runs, 2);
}

}  // namespace
}  // namespace twostep
