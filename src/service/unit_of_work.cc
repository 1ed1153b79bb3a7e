#include "service/unit_of_work.h"

#include <spdlog/spdlog.h>

namespace twostep::service {

UnitOfWork::UnitOfWork(Store& store, const Clock& clock, Announcer announcer,
                       PolicySnapshot policy)
    : tx_(store.Begin()), now_(clock.Now()), policy_(std::move(policy)),
      announcer_(std::move(announcer)) {}

UnitOfWork::~UnitOfWork() = default;

void UnitOfWork::Mail(const MailMessage& message) {
  tx_->EnqueueMail(message, now_);
  mail_ = true;
}

void UnitOfWork::Notify(const std::string& account_id, const std::string& device_id,
                        Notification n) {
  notices_.push_back({account_id, device_id, std::move(n)});
}

void UnitOfWork::Count(std::string_view name, std::string_view label) {
  counts_.emplace_back(name, label);
}

void UnitOfWork::Commit() {
  tx_->Commit();
  if (mail_) announcer_.mail_queued();
  for (const auto& n : notices_) {
    try {
      announcer_.notifier.Notify(n.account_id, n.device_id, n.notification);
    } catch (const std::exception& e) {
      // Best effort (SPEC: an offline device reads /v1/notifications/pending).
      spdlog::warn("notification to a device failed: {}", e.what());
    }
  }
  for (const auto& [name, label] : counts_) announcer_.counters.Increment(name, label);
  notices_.clear();
  counts_.clear();
  mail_ = false;
}

}  // namespace twostep::service
