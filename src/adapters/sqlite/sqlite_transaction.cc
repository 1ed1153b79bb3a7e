#include "adapters/sqlite/sqlite_transaction.h"

namespace twostep::sqlite {

SqliteTransaction::SqliteTransaction(SqliteStore& store, std::unique_ptr<Connection> conn,
                                     Gate::Pass gate, SqliteStore::Role role)
    : SqlTransaction(sql::kSqliteQueries, std::move(conn)), store_(store), gate_(std::move(gate)), role_(role) {
  // DEFERRED is enough under the gate: no other transaction of this process
  // runs until this one ends, so the snapshot of the first read is still the
  // newest when the first write takes SQLite's write lock, and a read-only
  // transaction (most requests) never takes it: two fcntl calls fewer per
  // transaction. Should another process write to the file in between, the
  // write fails with SQLITE_BUSY_SNAPSHOT (a StoreError, 503): never a lost
  // update.
  conn_->Begin();
}

SqliteTransaction::~SqliteTransaction() {
  if (done_) return;
  try {
    conn_->Rollback();
    store_.Release(std::move(conn_), role_);
  } catch (...) {
    // The connection is in an unknown state: drop it instead of reusing it.
  }
}

void SqliteTransaction::Commit() {
  conn_->Commit();
  done_ = true;
  store_.Release(std::move(conn_), role_);
  gate_.Leave();
}

}  // namespace twostep::sqlite
