// SqliteStore: the embedded Store on one SQLite file (WAL, synchronous=FULL).
// A small pool of connections serves the threads. Transactions of this
// process run one at a time: each first takes a mutex (the gate), which
// makes LockChallenge/LockRefreshToken true check-and-set steps, and then
// a DEFERRED SQLite transaction, so reads never take SQLite's write lock.
// (SQLite's own busy handler, with BEGIN IMMEDIATE for every transaction,
// made waiting transactions sleep 1, 2, 5, 10 ... ms between retries, which
// under load cost more than the work itself.) The file belongs to one
// process; another process writing to it can make a read-then-write
// transaction fail (StoreError), never lose an update.
// Read-only transactions (BeginRead) skip the gate: they run on their own
// connections (query_only) and read a WAL snapshot, which writers never
// block, so authenticated reads run in parallel with each other and with
// a write's commit.
// Thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <chrono>
#include <string>
#include <vector>

#include "adapters/sqlite/sqlite_gate.h"
#include "ports/store.h"

namespace twostep::sqlite {

class Connection;

class SqliteStore : public Store {
 public:
  // Opens or creates `path` and applies migrations. Throws StoreError.
  explicit SqliteStore(std::string path);
  ~SqliteStore() override;
  // Bytes the store's connections hold (page caches, schema, statements),
  // as of each connection's last return to the pool (the schema and
  // statements as of its last sample: Connection::MemoryBytes): for
  // /metrics, the part of RSS that follows the data and is bounded by
  // cache_size.
  int64_t MemoryUsed() const { return memory_bytes_.load(std::memory_order_relaxed); }

  std::unique_ptr<Transaction> Begin() override;
  std::unique_ptr<Transaction> BeginRead() override;
  // On a reader connection, outside the gate, as one autocommitted
  // statement: SQLite reads it in one snapshot.
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

  // Makes every leased outbox message due now. Called at start by the one
  // process that owns the SQLite file: a lease left by a killed process
  // would otherwise delay its mail for the lease time.
  void ReleaseMailLeases(Timestamp now);

  // Pool plumbing, used by the transaction class. Readers and writers are
  // pooled apart: a reader's connection refuses writes.
  enum class Role { kWriter, kReader };
  std::unique_ptr<Connection> Acquire(Role role = Role::kWriter);
  void Release(std::unique_ptr<Connection> conn, Role role = Role::kWriter);
  // The in-process gate: one transaction at a time (sqlite_gate.h).
  Gate::Pass EnterGate();

 private:
  std::string path_;
  std::mutex mutex_;
  std::atomic<int64_t> memory_bytes_{0};  // before the pools: their connections count out as they close
  std::vector<std::unique_ptr<Connection>> idle_;         // GUARDED_BY(mutex_)
  std::vector<std::unique_ptr<Connection>> idle_readers_;  // GUARDED_BY(mutex_)
  Gate gate_;
};

}  // namespace twostep::sqlite
