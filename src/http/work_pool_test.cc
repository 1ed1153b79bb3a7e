#include "http/work_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <latch>
#include <thread>
#include <vector>

namespace twostep::http {
namespace {

TEST(WorkPoolTest, ShedsWorkBeyondTheQueueLimit) {
  WorkPool pool("test", 1, 4);
  std::latch running(1), release(1);
  std::atomic<int> done{0};
  ASSERT_TRUE(pool.TrySubmit([&] {
    running.count_down();
    release.wait();  // holds the only thread
    ++done;
  }));
  running.wait();
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(pool.TrySubmit([&] { ++done; })) << i;
  EXPECT_EQ(pool.Waiting(), 4u);
  EXPECT_FALSE(pool.TrySubmit([&] { ++done; }));  // the fifth waiting task is shed
  release.count_down();
  pool.Shutdown();  // runs what is queued
  EXPECT_EQ(done.load(), 5);
  EXPECT_FALSE(pool.TrySubmit([] {}));  // no work after shutdown
}

TEST(WorkPoolTest, AThrowingTaskDoesNotKillTheThread) {
  WorkPool pool("test", 1, 8);
  std::latch ran(1);
  ASSERT_TRUE(pool.TrySubmit([] { throw std::runtime_error("bug"); }));
  ASSERT_TRUE(pool.TrySubmit([&] { ran.count_down(); }));
  ran.wait();
}

// Producers race to submit while the workers run: every accepted task runs
// exactly once, every refused one never.
TEST(WorkPoolConcurrencyTest, EveryAcceptedTaskRunsExactlyOnce) {
  constexpr int kProducers = 6, kTasks = 2000;
  WorkPool pool("test", 3, 64);
  std::vector<std::atomic<int>> runs(kProducers * kTasks);
  std::atomic<int> accepted{0};
  std::barrier start(kProducers);
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p)
    producers.emplace_back([&, p] {
      start.arrive_and_wait();
      for (int i = 0; i < kTasks; ++i) {
        int slot = p * kTasks + i;
        if (pool.TrySubmit([&runs, slot] { ++runs[slot]; })) ++accepted; else runs[slot] = -1;
      }
    });
  for (auto& t : producers) t.join();
  pool.Shutdown();
  int ran = 0;
  for (auto& r : runs) {
    ASSERT_TRUE(r == 1 || r == -1) << r;
    ran += r == 1;
  }
  EXPECT_EQ(ran, accepted.load());
  EXPECT_GT(accepted.load(), 0);
}

// Shutdown from one thread while others submit: no task is lost or run twice.
TEST(WorkPoolConcurrencyTest, ShutdownRacesWithSubmissions) {
  auto pool = std::make_unique<WorkPool>("test", 2, 1024);
  std::atomic<int> accepted{0}, ran{0};
  std::barrier start(4);
  std::vector<std::thread> threads;
  for (int p = 0; p < 3; ++p)
    threads.emplace_back([&] {
      start.arrive_and_wait();
      for (int i = 0; i < 3000; ++i)
        if (pool->TrySubmit([&] { ++ran; })) ++accepted;
    });
  threads.emplace_back([&] {
    start.arrive_and_wait();
    pool->Shutdown();
  });
  for (auto& t : threads) t.join();
  pool.reset();  // the destructor shuts down again (idempotent) and joins
  EXPECT_EQ(ran.load(), accepted.load());
}

}  // namespace
}  // namespace twostep::http
