// SqliteTransaction: one BEGIN ... COMMIT on a pooled connection, inside the
// store's gate (one transaction of this process at a time), with the verbs
// of sql::SqlTransaction. The gate makes every read-then-write atomic.
// Rolled back in the destructor unless committed. One thread only.
#pragma once

#include <memory>

#include "adapters/sql/sql_transaction.h"
#include "adapters/sqlite/sqlite_gate.h"
#include "adapters/sqlite/sqlite_connection.h"

namespace twostep::sqlite {

class SqliteStore;

class SqliteTransaction : public sql::SqlTransaction<Connection> {
 public:
  // Holds the store's gate until it commits or rolls back.
  SqliteTransaction(SqliteStore& store, std::unique_ptr<Connection> conn,
                    Gate::Pass gate);
  ~SqliteTransaction() override;
  void Commit() override;

 private:
  SqliteStore& store_;
  Gate::Pass gate_;
  bool done_ = false;
};

}  // namespace twostep::sqlite
