// Store doubles in the spirit of leveldb's EnvWrapper and its
// fault-injection Env: StoreWrapper forwards every call to another Store
// (override what a test needs to change), and FaultyStore makes the Nth
// store call fail with StoreError, as a database that went away in the
// middle of a use case would. Calls are counted across the store and its
// transactions: Begin/BeginRead, every transaction verb, and Commit.
// Thread-safe as far as the wrapped store is (the counter is atomic).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ports/store.h"

namespace twostep::testing {

class StoreWrapper : public Store {
 public:
  explicit StoreWrapper(Store& target) : target_(target) {}
  Store& target() { return target_; }

  std::unique_ptr<Transaction> Begin() override { return target_.Begin(); }
  std::unique_ptr<Transaction> BeginRead() override { return target_.BeginRead(); }
  std::optional<SecurityFacts> ReadSecurityFacts(const std::string& token_hash, Timestamp now,
                                                 const std::string& feature) override {
    return target_.ReadSecurityFacts(token_hash, now, feature);
  }
  std::vector<OutboxItem> ClaimDueMail(Timestamp now, Timestamp lease_until, int limit) override {
    return target_.ClaimDueMail(now, lease_until, limit);
  }
  void MarkMailSent(int64_t id) override { target_.MarkMailSent(id); }
  void MarkMailFailed(int64_t id, int attempts, Timestamp next_attempt_at) override {
    target_.MarkMailFailed(id, attempts, next_attempt_at);
  }
  void MarkMailRejected(int64_t id, Timestamp now) override { target_.MarkMailRejected(id, now); }
  int DropStaleCodeMail(Timestamp now) override { return target_.DropStaleCodeMail(now); }
  std::optional<Timestamp> NextMailDue() override { return target_.NextMailDue(); }
  OutboxBacklog MailBacklog() override { return target_.MailBacklog(); }
  void Prune(const PruneCutoffs& before) override { target_.Prune(before); }

 private:
  Store& target_;
};

class FaultyStore : public StoreWrapper {
 public:
  explicit FaultyStore(Store& target) : StoreWrapper(target) {}

  // From now on, the `n`th call (1-based, counted from this call) throws
  // StoreError instead of reaching the store; 0: no fault. Resets the count.
  void FailCall(int n) {
    fail_at_ = n;
    calls_ = 0;
    fired_ = false;
    std::lock_guard lock(trace_mutex_);
    trace_.clear();
  }
  // Called before each Begin/BeginRead reaches the store: the moment
  // between two units of work (the previous one has handed out its mail,
  // notifications and counters). Set before use; not synchronised.
  std::function<void()> before_begin = [] {};
  // Calls made since the last FailCall, and whether the fault fired.
  int calls() const { return calls_; }
  bool fired() const { return fired_; }
  // The verbs called since the last FailCall, in order (for messages).
  std::vector<std::string> trace() const;

  std::unique_ptr<Transaction> Begin() override;
  std::unique_ptr<Transaction> BeginRead() override;
  // A read of its own, as a BeginRead: before_begin runs first.
  std::optional<SecurityFacts> ReadSecurityFacts(const std::string& token_hash, Timestamp now,
                                                 const std::string& feature) override;
  std::vector<OutboxItem> ClaimDueMail(Timestamp now, Timestamp lease_until, int limit) override;
  void MarkMailSent(int64_t id) override;
  void MarkMailFailed(int64_t id, int attempts, Timestamp next_attempt_at) override;
  void MarkMailRejected(int64_t id, Timestamp now) override;
  int DropStaleCodeMail(Timestamp now) override;
  std::optional<Timestamp> NextMailDue() override;
  OutboxBacklog MailBacklog() override;
  void Prune(const PruneCutoffs& before) override;

  // Counts one call of `verb`; throws StoreError when it is the one to fail.
  void Tick(const char* verb);

 private:
  std::atomic<int> fail_at_{0};
  std::atomic<int> calls_{0};
  std::atomic<bool> fired_{false};
  mutable std::mutex trace_mutex_;
  std::vector<std::string> trace_;  // GUARDED_BY(trace_mutex_)
};

}  // namespace twostep::testing
