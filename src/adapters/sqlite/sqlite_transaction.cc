#include "adapters/sqlite/sqlite_transaction.h"

#include "adapters/sqlite/sqlite_store.h"

namespace twostep::sqlite {

SqliteTransaction::SqliteTransaction(SqliteStore& store, std::unique_ptr<Connection> conn)
    : SqlTransaction(sql::kSqliteQueries, std::move(conn)), store_(store) {
  conn_->Exec("BEGIN IMMEDIATE");
}

SqliteTransaction::~SqliteTransaction() {
  if (done_) return;
  try {
    conn_->Exec("ROLLBACK");
    store_.Release(std::move(conn_));
  } catch (...) {
    // The connection is in an unknown state: drop it instead of reusing it.
  }
}

void SqliteTransaction::Commit() {
  conn_->Exec("COMMIT");
  done_ = true;
  store_.Release(std::move(conn_));
}

}  // namespace twostep::sqlite
