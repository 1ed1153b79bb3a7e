// PgStore: the Store on PostgreSQL, for several twostepd instances that
// form one service (SPEC §4). Calls come from the work and hashing pools'
// threads, never from I/O threads, so a bounded pool of blocking libpq
// connections serves them: a caller waits for a free connection up to
// `acquire_timeout`, then gets StoreError (answered 503), so a slow database
// sheds load instead of queueing without bound.
//
// Dropped connections: a connection the server closed (restart, failover,
// idle kill) is found at BEGIN and replaced before anything ran, so that
// retry is always safe; one that fails later in a transaction is discarded
// and the error reaches the caller (the transaction was rolled back).
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ports/store.h"

namespace twostep::pg {

class Connection;

struct PgSettings {
  std::string url;  // postgresql://user:pass@host:port/db (libpq URI)
  int pool_size = 8;
  std::chrono::milliseconds acquire_timeout{5000};
};

class PgStore : public Store {
 public:
  // Connects, applies migrations (safe when several instances start at
  // once) and checks the server-key fingerprint. Throws StoreError.
  // `key_fingerprint`: of the current server key pair; `accepted_fingerprints`:
  // of the other pairs this instance keeps (a key rotation): the database
  // may still record one of those, and then records the current one.
  PgStore(PgSettings settings, const std::string& key_fingerprint,
          const std::vector<std::string>& accepted_fingerprints = {});
  ~PgStore() override;

  std::unique_ptr<Transaction> Begin() override;
  // REPEATABLE READ, READ ONLY: one snapshot for every statement, no row
  // locks, and PostgreSQL itself refuses a write.
  std::unique_ptr<Transaction> BeginRead() override;
  // One prepared statement, autocommitted (a statement sees one snapshot):
  // one round trip, no BEGIN or ROLLBACK.
  std::optional<SecurityFacts> ReadSecurityFacts(const std::string& token_hash, Timestamp now,
                                                 const std::string& feature) override;
  std::vector<OutboxItem> ClaimDueMail(Timestamp now, Timestamp lease_until, int limit) override;
  void MarkMailSent(int64_t id) override;
  void MarkMailRejected(int64_t id, Timestamp now) override;
  void MarkMailFailed(int64_t id, int attempts, Timestamp next_attempt_at) override;
  std::optional<Timestamp> NextMailDue() override;
  OutboxBacklog MailBacklog() override;
  int DropStaleCodeMail(Timestamp now) override;
  void Prune(const PruneCutoffs& before) override;

  // Of the given (account id, device id) pairs, those whose device still
  // has a token family that is not revoked. Used after the notification
  // listener reconnects: a signed_out sent while it was away is not lost.
  std::vector<std::pair<std::string, std::string>> StillSignedIn(
      const std::vector<std::pair<std::string, std::string>>& devices);

  // Sends one NOTIFY on `channel` (outside any transaction).
  void Publish(const std::string& channel, const std::string& payload);

  const std::string& url() const { return settings_.url; }

  // Requests sent to the server and answered (statements, prepares, BEGIN,
  // COMMIT ...) by the connections returned to the pool so far: what a
  // test counts to hold a use case to its round trips.
  int64_t RoundTrips() const;

  // Pool plumbing, used by the transaction class. Acquire returns a
  // connection inside a fresh `begin` statement. Release(nullptr) or an
  // unhealthy connection frees its slot.
  std::unique_ptr<Connection> AcquireInTransaction(const char* begin = "BEGIN");
  void Release(std::unique_ptr<Connection> conn);

 private:
  std::unique_ptr<Connection> Acquire();
  void DropIdle();
  template <typename Fn>
  auto WithTx(Fn fn);
  template <typename Fn>
  auto OnLiveConnection(Fn fn);

  PgSettings settings_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;  // GUARDED_BY(mutex_)
  int open_ = 0;                                   // GUARDED_BY(mutex_): idle + in use
  std::atomic<int64_t> round_trips_{0};
};

}  // namespace twostep::pg
