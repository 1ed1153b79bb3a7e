// UnitOfWork: one use case's change to the store, and everything the change
// announces: the mail it queues, the notifications it sends to devices and
// the counters it moves. Those are held back until Commit() has made the
// change durable; a unit of work dropped without Commit() rolls back and
// hands out nothing (leveldb's WriteBatch applied atomically, in spirit).
// It also fixes the time the work runs at, so every row it writes agrees,
// and the security policy it applies (a reload meanwhile does not change it).
//
// Nothing is ever announced from inside the transaction: waking the mail
// sender under the store's lock was the lock-order inversion of 5274df9.
// Not thread-safe: one use case, one thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "domain/mail.h"
#include "ports/clock.h"
#include "ports/counters.h"
#include "ports/notifier.h"
#include "ports/store.h"
#include "service/security_policy.h"

namespace twostep::service {

// Where a committed unit of work's announcements go.
struct Announcer {
  Notifier& notifier;
  Counters& counters;
  // Wakes the outbox sender after a commit that queued mail.
  std::function<void()> mail_queued = [] {};
};

class UnitOfWork {
 public:
  // Begins a read-write transaction; `now` is read once from `clock`.
  // `policy` (not null): the policy this work applies.
  UnitOfWork(Store& store, const Clock& clock, Announcer announcer, PolicySnapshot policy);
  UnitOfWork(const UnitOfWork&) = delete;
  UnitOfWork& operator=(const UnitOfWork&) = delete;
  ~UnitOfWork();  // rolls back unless committed

  Transaction& tx() { return *tx_; }
  Transaction* operator->() { return tx_.get(); }
  Timestamp now() const { return now_; }
  const SecurityPolicy& policy() const { return *policy_; }

  // Queues mail in the transaction; the sender is woken after the commit.
  void Mail(const MailMessage& message);
  // A live message to one device, sent after the commit.
  void Notify(const std::string& account_id, const std::string& device_id, Notification n);
  // A counter moved after the commit (e.g. "codes_sent", "email").
  void Count(std::string_view name, std::string_view label);

  // Commits, then hands out the mail, notifications and counters. A
  // StoreError from the commit propagates and nothing is handed out.
  void Commit();

 private:
  struct Notice {
    std::string account_id;
    std::string device_id;
    Notification notification;
  };
  std::unique_ptr<Transaction> tx_;
  Timestamp now_;
  PolicySnapshot policy_;
  Announcer announcer_;
  bool mail_ = false;
  std::vector<Notice> notices_;
  std::vector<std::pair<std::string, std::string>> counts_;
};

}  // namespace twostep::service
