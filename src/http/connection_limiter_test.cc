#include "http/connection_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <thread>
#include <vector>

namespace twostep::http {
namespace {

TEST(ConnectionLimiterTest, CapsEachAddressAndGivesSlotsBack) {
  ConnectionLimiter limiter(2);
  auto a = limiter.TryAcquire("192.0.2.1");
  auto b = limiter.TryAcquire("192.0.2.1");
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(limiter.TryAcquire("192.0.2.1"));
  EXPECT_TRUE(limiter.TryAcquire("192.0.2.2"));  // another address is not affected
  EXPECT_EQ(limiter.Count("192.0.2.1"), 2u);
  auto copy = a;  // a slot shared by two owners (HTTP session, then WebSocket)
  a.reset();
  EXPECT_FALSE(limiter.TryAcquire("192.0.2.1"));
  copy.reset();
  EXPECT_EQ(limiter.Count("192.0.2.1"), 1u);
  EXPECT_TRUE(limiter.TryAcquire("192.0.2.1"));
}

TEST(ConnectionLimiterTest, SlotsMayOutliveTheLimiter) {
  ConnectionLimiter::Slot slot;
  {
    ConnectionLimiter limiter(1);
    slot = limiter.TryAcquire("192.0.2.1");
  }
  slot.reset();  // no use after free (ASan)
}

// Real threads race for slots of one address: never more than the cap are
// held at once, and every slot comes back.
TEST(ConnectionLimiterConcurrencyTest, NeverMoreThanTheCap) {
  constexpr int kThreads = 8, kRounds = 2000, kCap = 3;
  ConnectionLimiter limiter(kCap);
  std::atomic<int> held{0}, max_held{0}, granted{0};
  std::barrier start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      for (int i = 0; i < kRounds; ++i) {
        auto slot = limiter.TryAcquire("198.51.100.7");
        if (!slot) continue;
        ++granted;
        int now = ++held;
        int seen = max_held.load();
        while (now > seen && !max_held.compare_exchange_weak(seen, now)) {}
        --held;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(max_held.load(), kCap);
  EXPECT_GT(granted.load(), 0);
  EXPECT_EQ(limiter.Count("198.51.100.7"), 0u);
}

}  // namespace
}  // namespace twostep::http
