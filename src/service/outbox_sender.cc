#include "service/outbox_sender.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "domain/email_address.h"

namespace twostep::service {

namespace {
constexpr int kBatch = 32;
// How long a claimed message stays hidden from other senders while this one
// delivers it; a crash mid-send makes it due again after this.
constexpr seconds kLease{120};
// Upper bound on a wait, so a message queued by another process sharing the
// database is picked up without a notification.
constexpr seconds kMaxWait{2};
}  // namespace

OutboxSender::OutboxSender(Store& store, MailTransport& transport, const Clock& clock,
                           Counters& counters, std::string mail_domain)
    : store_(store), transport_(transport), clock_(clock), counters_(counters),
      mail_domain_(std::move(mail_domain)) {}

OutboxSender::~OutboxSender() { Stop(); }

seconds OutboxSender::Backoff(int attempts) {
  int shift = std::clamp(attempts - 1, 0, 10);
  return std::min(seconds(5) * (1 << shift), seconds(3600));
}

int OutboxSender::RunOnce() {
  int delivered = 0;
  if (int dropped = store_.DropStaleCodeMail(clock_.Now()); dropped > 0) {
    for (int i = 0; i < dropped; ++i) counters_.Increment("mail", "dropped");
    spdlog::info(R"({{"event":"mail_dropped","reason":"code_no_longer_valid","count":{}}})",
                 dropped);
  }
  while (true) {
    const Timestamp now = clock_.Now();
    auto items = store_.ClaimDueMail(now, now + kLease, kBatch);
    for (const auto& item : items) {
      OutgoingMail mail{"<outbox-" + std::to_string(item.id) + "." +
                            std::to_string(ToMillis(item.created_at)) + "@" + mail_domain_ + ">",
                        item.created_at, item.message};
      mail.app = item.app;
      if (Deliver(item, mail)) ++delivered;
    }
    if (static_cast<int>(items.size()) < kBatch) break;
  }
  // The backlog after the pass: what still waits (failed, or leased
  // elsewhere), for operators' alerts (docs/OPERATIONS.md).
  const auto backlog = store_.MailBacklog();
  counters_.SetGauge("mail_outbox_pending", static_cast<double>(backlog.pending));
  counters_.SetGauge("mail_outbox_oldest_age_seconds",
                     backlog.oldest_created_at
                         ? std::chrono::duration<double>(clock_.Now() - *backlog.oldest_created_at).count()
                         : 0.0);
  return delivered;
}

bool OutboxSender::Deliver(const OutboxItem& item, const OutgoingMail& mail) {
  const auto result = transport_.Send(mail);
  switch (result.outcome) {
    case MailDelivery::Outcome::kSent:
      store_.MarkMailSent(item.id);
      counters_.Increment("mail", "sent");
      return true;
    case MailDelivery::Outcome::kRejected:
      // Permanent: retrying cannot help and would hammer the receiver. The
      // account learns that its address does not take mail.
      store_.MarkMailRejected(item.id, clock_.Now());
      counters_.Increment("mail", "rejected");
      spdlog::warn(R"({{"event":"mail_rejected","mail":{},"to":"{}","detail":"{}"}})", item.id,
                   domain::MaskEmail(item.message.to), result.detail);
      return false;
    case MailDelivery::Outcome::kRetry:
      break;
  }
  const int attempts = item.attempts + 1;
  store_.MarkMailFailed(item.id, attempts, clock_.Now() + Backoff(attempts));
  counters_.Increment("mail", "failed");
  spdlog::warn("mail {} not delivered (attempt {}): {}", item.id, attempts, result.detail);
  return false;
}

void OutboxSender::Start() { thread_ = std::thread([this] { Loop(); }); }

void OutboxSender::Notify() {
  {
    std::lock_guard lock(mutex_);
    wake_ = true;
  }
  cv_.notify_one();
}

void OutboxSender::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void OutboxSender::Loop() {
  while (true) {
    try {
      RunOnce();
    } catch (const std::exception& e) {
      spdlog::error("mail outbox pass failed: {}", e.what());
    }
    // Asked of the store before taking mutex_, never under it: a use case
    // calls Notify() from inside its transaction (the wrong-code alert), so
    // waiting for the store while holding mutex_ could deadlock with it. A
    // Notify() that lands in between sets wake_, and the wait below ends at
    // once.
    seconds wait = kMaxWait;
    try {
      if (auto due = store_.NextMailDue()) {
        auto until = std::chrono::ceil<seconds>(*due - clock_.Now());
        wait = std::clamp(until, seconds(0), kMaxWait);
      }
    } catch (const std::exception&) {
    }
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    cv_.wait_for(lock, wait, [&] { return wake_ || stopping_; });
    wake_ = false;
    if (stopping_) {
      lock.unlock();
      try {
        RunOnce();  // last flush before exit
      } catch (const std::exception& e) {
        spdlog::error("mail outbox final pass failed: {}", e.what());
      }
      return;
    }
  }
}

}  // namespace twostep::service
