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

TEST(ConnectionLimiterTest, GlobalCapCountsEveryAddressAndSaysWhy) {
  ConnectionLimiter limiter(/*max_per_ip=*/2, /*max_total=*/3);
  ConnectionLimiter::Refusal why = ConnectionLimiter::Refusal::kNone;
  auto a = limiter.TryAcquire("192.0.2.1");
  auto b = limiter.TryAcquire("192.0.2.2");
  // A trusted proxy is not capped per address, but counts in the total.
  auto c = limiter.TryAcquire("10.0.0.1", {.per_ip = false});
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(limiter.Total(), 3u);
  EXPECT_FALSE(limiter.TryAcquire("192.0.2.3", {}, &why));
  EXPECT_EQ(why, ConnectionLimiter::Refusal::kTotal);
  EXPECT_FALSE(limiter.TryAcquire("10.0.0.1", {.per_ip = false}, &why));
  EXPECT_EQ(why, ConnectionLimiter::Refusal::kTotal);
  c.reset();  // one connection ends: room for one more
  EXPECT_EQ(limiter.Total(), 2u);
  auto d = limiter.TryAcquire("192.0.2.1", {}, &why);
  EXPECT_TRUE(d);
  EXPECT_EQ(why, ConnectionLimiter::Refusal::kNone);
  // Both caps reached: the address's own cap is the answer (429, its doing).
  EXPECT_FALSE(limiter.TryAcquire("192.0.2.1", {}, &why));
  EXPECT_EQ(why, ConnectionLimiter::Refusal::kPerIp);
  a.reset();
  b.reset();
  d.reset();
  EXPECT_EQ(limiter.Total(), 0u);
  EXPECT_EQ(limiter.Count("192.0.2.1"), 0u);
}

TEST(ConnectionLimiterTest, IPv6AddressesAreGroupedByTheir64Prefix) {
  // One subscriber usually gets a whole /64: counting each address would
  // give it 2^64 times the cap.
  ConnectionLimiter limiter(2);
  auto a = limiter.TryAcquire("2001:db8:1:2::1");
  auto b = limiter.TryAcquire("2001:db8:1:2:ffff:ffff:ffff:fffe");
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(limiter.TryAcquire("2001:db8:1:2:abcd::7"));
  EXPECT_EQ(limiter.Count("2001:db8:1:2::99"), 2u);
  EXPECT_TRUE(limiter.TryAcquire("2001:db8:1:3::1"));  // the next /64 is someone else
  // IPv4 stays per address, and an IPv4-mapped IPv6 peer (a dual-stack
  // listener) is the IPv4 address it maps.
  auto v4 = limiter.TryAcquire("192.0.2.1");
  auto mapped = limiter.TryAcquire("::ffff:192.0.2.1");
  ASSERT_TRUE(v4 && mapped);
  EXPECT_FALSE(limiter.TryAcquire("192.0.2.1"));
  EXPECT_EQ(limiter.Count("192.0.2.1"), 2u);
  EXPECT_TRUE(limiter.TryAcquire("192.0.2.2"));
  EXPECT_EQ(ConnectionLimiter::GroupOf("2001:DB8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
  EXPECT_EQ(ConnectionLimiter::GroupOf("::ffff:198.51.100.7"), "198.51.100.7");
  EXPECT_EQ(ConnectionLimiter::GroupOf("198.51.100.7"), "198.51.100.7");
  EXPECT_EQ(ConnectionLimiter::GroupOf(""), "");  // no peer address: one group
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
