#include "http/deadline_sweep.h"

#include <algorithm>

#include <boost/asio/post.hpp>

namespace twostep::http {

DeadlineSweep::DeadlineSweep(boost::asio::io_context& ioc, Clock::duration tick)
    : ioc_(ioc), timer_(ioc), tick_(tick) {}

void DeadlineSweep::Watch(std::weak_ptr<Deadline> d) {
  watched_.push_back(std::move(d));
  if (!ticking_ && !stopped_) {
    ticking_ = true;
    Tick();
  }
}

void DeadlineSweep::Tick() {
  timer_.expires_after(tick_);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_ || Sweep(Clock::now()) == 0) {
      ticking_ = false;
      return;
    }
    Tick();
  });
}

size_t DeadlineSweep::Sweep(Clock::time_point now) {
  // Collected first: OnDeadline may end the last owner of a connection.
  std::vector<std::shared_ptr<Deadline>> due;
  auto gone = std::remove_if(watched_.begin(), watched_.end(), [&](const std::weak_ptr<Deadline>& w) {
    auto d = w.lock();
    if (!d) return true;
    if (d->at_ <= now) {
      d->Disarm();
      due.push_back(std::move(d));
    }
    return false;
  });
  watched_.erase(gone, watched_.end());
  for (auto& d : due) d->OnDeadline();
  return watched_.size();
}

void DeadlineSweep::Stop() {
  boost::asio::post(ioc_, [this] {
    stopped_ = true;
    timer_.cancel();
  });
}

}  // namespace twostep::http
