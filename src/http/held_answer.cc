#include "http/held_answer.h"

#include <algorithm>

#include <boost/asio/post.hpp>

namespace twostep::http {

namespace net = boost::asio;

std::shared_ptr<HeldAnswer> HeldAnswer::Start(const net::any_io_executor& executor, WaitHub& hub,
                                              const std::string& topic) {
  auto held = std::make_shared<HeldAnswer>(executor);
  held->subscription_ = hub.Subscribe(topic, held);
  return held;
}

void HeldAnswer::Await(const Hold& hold, std::function<void()> again) {
  if (signalled_.exchange(false)) {
    net::post(timer_.get_executor(), std::move(again));
    return;
  }
  timer_.expires_at(std::min(hold.until, std::chrono::steady_clock::now() + hold.recheck));
  // Expiry or cancel by Wake(): either way the handler looks again.
  timer_.async_wait([again = std::move(again)](const boost::system::error_code&) { again(); });
}

void HeldAnswer::Wake() {
  signalled_ = true;
  // Cancel on the executor, after any Await running there now: a wake that
  // raced with arming the timer still cancels it.
  net::post(timer_.get_executor(), [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->timer_.cancel();
  });
}

}  // namespace twostep::http
