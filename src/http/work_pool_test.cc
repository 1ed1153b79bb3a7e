#include "http/work_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <latch>
#include <thread>
#include <vector>

namespace twostep::http {
namespace {

using namespace std::chrono_literals;
using std::chrono::steady_clock;

// Each worker thread's own time: a task "takes" N ms by moving its
// thread's clock, which the pool reads before and after the task on that
// same thread, so a run measures exactly N ms whatever the scheduling.
thread_local steady_clock::duration thread_time{};
steady_clock::time_point ThreadClock() { return steady_clock::time_point(thread_time); }
void Take(steady_clock::duration d) { thread_time += d; }

// Holds every thread of a pool until Release() (or its end, so that a
// failed assertion does not leave the pool's shutdown waiting); the
// constructor returns once they all run.
class Blockers {
 public:
  Blockers(WorkPool& pool, int threads) : running_(threads) {
    for (int i = 0; i < threads; ++i)
      EXPECT_TRUE(pool.TrySubmit([this] {
        running_.count_down();
        release_.wait();
      }));
    running_.wait();
  }
  ~Blockers() { Release(); }
  void Release() {
    if (!released_.exchange(true)) release_.count_down();
  }

 private:
  std::latch running_, release_{1};
  std::atomic<bool> released_{false};
};

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

// Two threads, tasks measured at 100 ms: a new task's expected wait is
// waiting x 50 ms, so with a 1-s bound the 21st waiting task (1 s) is
// admitted and the 22nd (1.05 s) shed, far below the count limit.
TEST(WorkPoolTest, ShedsTheTaskWhoseExpectedWaitPassesTheBound) {
  WorkPool pool("test", 2, AdmissionLimits{1000, 1000ms}, 0, ThreadClock);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(pool.TrySubmit([] { Take(100ms); }));
  // Each thread records a run before it takes its next task, so once both
  // run a blocker all four runs are in the mean.
  Blockers blockers(pool, 2);
  EXPECT_EQ(pool.ExpectedWait(), std::chrono::nanoseconds(0));
  for (int i = 0; i <= 20; ++i) EXPECT_TRUE(pool.TrySubmit([] {})) << i;
  EXPECT_EQ(pool.Waiting(), 21u);
  EXPECT_EQ(pool.ExpectedWait(), std::chrono::nanoseconds(1050ms));
  EXPECT_FALSE(pool.TrySubmit([] {}));
  EXPECT_EQ(pool.Waiting(), 21u);
  blockers.Release();
}

// Before any task has finished there is no estimate: the count decides.
TEST(WorkPoolTest, WithoutAnEstimateItAdmitsUpToTheCount) {
  WorkPool pool("test", 1, AdmissionLimits{4, 1ns}, 0, ThreadClock);
  Blockers blockers(pool, 1);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(pool.TrySubmit([] { Take(100ms); })) << i;
  EXPECT_EQ(pool.ExpectedWait(), std::nullopt);
  EXPECT_FALSE(pool.TrySubmit([] {}));
  blockers.Release();
}

// The mean follows the measured runs: at 300 ms a task on one thread, a
// 1-s bound admits four waiting tasks (the fourth waits 0.9 s) and sheds
// the fifth (1.2 s).
TEST(WorkPoolTest, TheBoundFollowsTheMeasuredRunTime) {
  WorkPool pool("test", 1, AdmissionLimits{1000, 1000ms}, 0, ThreadClock);
  ASSERT_TRUE(pool.TrySubmit([] { Take(300ms); }));
  Blockers blockers(pool, 1);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(pool.TrySubmit([] {})) << i;  // 0, 0.3, 0.6, 0.9 s
  EXPECT_FALSE(pool.TrySubmit([] {}));                                  // 1.2 s
  blockers.Release();
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
