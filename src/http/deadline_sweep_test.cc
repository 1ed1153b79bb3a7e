#include "http/deadline_sweep.h"

#include <memory>

#include <gtest/gtest.h>

namespace twostep::http {
namespace {

using Clock = DeadlineSweep::Clock;
using std::chrono::seconds;

struct Connection : DeadlineSweep::Deadline {
  int fired = 0;
  std::function<void()> on_fire;
  void OnDeadline() override {
    ++fired;
    if (on_fire) on_fire();
  }
};

const Clock::time_point kT0 = Clock::time_point{} + std::chrono::hours(1);

TEST(DeadlineSweepTest, FiresOnlyThePassedDeadlinesAndEachOnce) {
  boost::asio::io_context ioc;
  DeadlineSweep sweep(ioc);
  auto due = std::make_shared<Connection>();
  auto later = std::make_shared<Connection>();
  auto disarmed = std::make_shared<Connection>();
  due->Arm(kT0 + seconds(1));
  later->Arm(kT0 + seconds(5));
  disarmed->Arm(kT0);
  disarmed->Disarm();
  for (auto& c : {due, later, disarmed}) sweep.Watch(c);

  EXPECT_EQ(sweep.Sweep(kT0), 3u);
  EXPECT_EQ(due->fired, 0);
  EXPECT_EQ(sweep.Sweep(kT0 + seconds(1)), 3u);
  EXPECT_EQ(due->fired, 1);
  EXPECT_EQ(sweep.Sweep(kT0 + seconds(2)), 3u);
  EXPECT_EQ(due->fired, 1) << "a fired deadline is disarmed";
  EXPECT_EQ(later->fired, 0);
  EXPECT_EQ(disarmed->fired, 0);

  due->Arm(kT0 + seconds(3));  // the connection's next read
  sweep.Sweep(kT0 + seconds(10));
  EXPECT_EQ(due->fired, 2);
  EXPECT_EQ(later->fired, 1);
  EXPECT_EQ(disarmed->fired, 0);
}

TEST(DeadlineSweepTest, ForgetsConnectionsThatAreGone) {
  boost::asio::io_context ioc;
  DeadlineSweep sweep(ioc);
  auto a = std::make_shared<Connection>();
  auto b = std::make_shared<Connection>();
  sweep.Watch(a);
  sweep.Watch(b);
  a.reset();
  EXPECT_EQ(sweep.Sweep(kT0), 1u);
  b->Arm(kT0);
  b->on_fire = [&] { b.reset(); };  // closing may release the last owner
  EXPECT_EQ(sweep.Sweep(kT0), 1u);
  EXPECT_EQ(sweep.Sweep(kT0), 0u);
}

TEST(DeadlineSweepTest, TicksWhileSomethingIsWatchedThenLetsRunReturn) {
  boost::asio::io_context ioc;
  DeadlineSweep sweep(ioc, std::chrono::milliseconds(1));
  auto c = std::make_shared<Connection>();
  c->Arm(Clock::now());
  c->on_fire = [&] { c.reset(); };
  sweep.Watch(c);
  ioc.run();  // returns once the tick found nothing left to watch
  EXPECT_EQ(c, nullptr);
}

TEST(DeadlineSweepTest, StopLetsRunReturnWhileConnectionsAreWatched) {
  boost::asio::io_context ioc;
  DeadlineSweep sweep(ioc, std::chrono::milliseconds(1));
  auto c = std::make_shared<Connection>();
  c->Arm(Clock::now() + std::chrono::hours(1));
  sweep.Watch(c);
  sweep.Stop();
  ioc.run();
  EXPECT_EQ(c->fired, 0);
  sweep.Watch(std::make_shared<Connection>());  // after Stop: no tick starts
  EXPECT_EQ(ioc.poll(), 0u);
}

}  // namespace
}  // namespace twostep::http
