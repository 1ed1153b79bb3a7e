// HeldAnswer: one long-poll answer an HTTP session holds (http_session.cc),
// waiting on a timer of the session's own executor, not on a thread:
// subscribed to its topic in the WaitHub from the first hold until the
// answer is written. Internal to http/: it brings in Asio.
// Await runs on the session's executor; Wake may come from any thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "http/message.h"
#include "http/wait_hub.h"

namespace twostep::http {

class HeldAnswer : public WaitHub::Waiter, public std::enable_shared_from_this<HeldAnswer> {
 public:
  static std::shared_ptr<HeldAnswer> Start(const boost::asio::any_io_executor& executor,
                                           WaitHub& hub, const std::string& topic);

  // Calls `again` once on the executor: soon when the topic was signalled
  // since the previous Await (or, the first time, since ever: a change may
  // have come between the handler's read and the subscription), else when
  // it is signalled, after `hold.recheck`, or at `hold.until`.
  void Await(const Hold& hold, std::function<void()> again);
  void Wake() override;

  explicit HeldAnswer(const boost::asio::any_io_executor& executor) : timer_(executor) {}

 private:
  boost::asio::steady_timer timer_;
  std::atomic<bool> signalled_{true};
  std::shared_ptr<void> subscription_;
};

}  // namespace twostep::http
