// DeadlineSweep: the read and write deadlines of one io_context's
// connections, checked by one timer every `tick`. Beast's tcp_stream armed
// and cancelled a timer of its own around every read and write (and went
// through a type-erased executor to do it); here arming a deadline is a
// store, and a connection's deadline fires at most one tick late (issue
// #18). Not thread-safe: everything runs on the io_context's one thread,
// except Stop.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace twostep::http {

class DeadlineSweep {
 public:
  using Clock = std::chrono::steady_clock;

  // What a connection derives from: its one deadline, armed while a read or
  // a write is pending.
  class Deadline {
   public:
    virtual ~Deadline() = default;
    void Arm(Clock::time_point at) { at_ = at; }
    void Disarm() { at_ = Clock::time_point::max(); }

   protected:
    // The deadline passed (the sweep disarmed it first): the connection
    // closes its socket, which ends the pending operation.
    virtual void OnDeadline() = 0;

   private:
    friend class DeadlineSweep;
    Clock::time_point at_ = Clock::time_point::max();
  };

  static constexpr std::chrono::milliseconds kTick{250};

  explicit DeadlineSweep(boost::asio::io_context& ioc, Clock::duration tick = kTick);

  // Watches `d` for as long as it lives; the timer ticks while anything is
  // watched.
  void Watch(std::weak_ptr<Deadline> d);
  // Fires the deadlines passed at `now` and forgets the connections that
  // are gone; returns how many are still watched. (The timer calls it at
  // each tick; tests call it with a time of their own.)
  size_t Sweep(Clock::time_point now);
  // Ticks no more (the drain is over: the io_context's run() may return
  // now, not a tick later). Thread-safe.
  void Stop();

 private:
  void Tick();

  boost::asio::io_context& ioc_;
  boost::asio::steady_timer timer_;
  const Clock::duration tick_;
  std::vector<std::weak_ptr<Deadline>> watched_;
  bool ticking_ = false;
  bool stopped_ = false;
};

}  // namespace twostep::http
