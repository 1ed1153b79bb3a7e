#include "adapters/push/provider_queue.h"

#include <spdlog/spdlog.h>

namespace twostep::push {

namespace {
constexpr seconds kFirstBackoff{1};
constexpr seconds kMaxBackoff{60};
}  // namespace

ProviderQueue::ProviderQueue(PushSender& sender, const Clock& clock, Counters& counters,
                             ForgetToken forget_token, size_t limit)
    : sender_(sender), clock_(clock), counters_(counters), forget_token_(std::move(forget_token)),
      limit_(limit), failed_name_("push_" + std::string(sender.provider()) + "_failed") {
  thread_ = std::thread([this] { Loop(); });
}

ProviderQueue::~ProviderQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

bool ProviderQueue::Enqueue(PushJob job) {
  {
    std::lock_guard lock(mutex_);
    if (due_.size() >= limit_) {
      counters_.Increment(failed_name_, "queue_full");
      return false;
    }
    due_.emplace(std::chrono::steady_clock::now(), Pending{std::move(job), 0});
  }
  cv_.notify_one();
  return true;
}

bool ProviderQueue::WaitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_cv_.wait_for(lock, timeout, [&] { return due_.empty() && !busy_; });
}

void ProviderQueue::Fail(std::string_view reason) { counters_.Increment(failed_name_, reason); }

void ProviderQueue::Loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (due_.empty()) {
      idle_cv_.notify_all();
      cv_.wait(lock, [&] { return stopping_ || !due_.empty(); });
      continue;
    }
    const auto next = due_.begin()->first;
    if (std::chrono::steady_clock::now() < next) {
      // A new push may be due sooner than a retry: wake on either.
      cv_.wait_until(lock, next);
      continue;
    }
    Pending p = std::move(due_.begin()->second);
    due_.erase(due_.begin());
    busy_ = true;
    lock.unlock();
    Attempt(std::move(p));
    lock.lock();
    busy_ = false;
  }
}

void ProviderQueue::Attempt(Pending p) {
  using K = SendOutcome::Kind;
  if (clock_.Now() >= p.job.message.expires_at) return Fail("expired");
  const auto started = std::chrono::steady_clock::now();
  SendOutcome out;
  try {
    out = sender_.Send(p.job);
  } catch (const std::exception&) {
    out = {K::kFailed, "internal", {}};  // e.g. OpenSSL refused to sign
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  counters_.Observe("push_seconds", sender_.provider(), took.count());
  ++p.attempts;
  switch (out.kind) {
    case K::kDelivered:
      counters_.Increment("push_sent", sender_.provider());
      return;
    case K::kTokenGone:
      forget_token_(p.job.token);  // first: once counted, it is forgotten
      Fail(out.reason);
      return;
    case K::kFailed:
      Fail(out.reason);
      spdlog::warn(R"({{"event":"push_failed","provider":"{}","app":"{}","reason":"{}"}})",
                   sender_.provider(), p.job.app, out.reason);
      return;
    case K::kRetry:
      break;
  }
  Fail(out.reason);
  seconds wait = out.retry_after.value_or(
      std::min(kMaxBackoff, kFirstBackoff * (1 << std::min(p.attempts - 1, 6))));
  if (clock_.Now() + wait >= p.job.message.expires_at) return Fail("expired");
  std::lock_guard lock(mutex_);
  if (!stopping_) due_.emplace(std::chrono::steady_clock::now() + wait, std::move(p));
}

}  // namespace twostep::push
