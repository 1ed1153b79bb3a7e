// SqliteTransaction: one BEGIN ... COMMIT on a pooled connection, with the
// verbs of sql::SqlTransaction. A writer's runs inside the store's gate (one
// writing transaction of this process at a time), which makes every
// read-then-write atomic; a reader's holds no gate (its connection refuses
// writes).
// Rolled back in the destructor unless committed. One thread only.
#pragma once

#include <memory>

#include "adapters/sql/sql_transaction.h"
#include "adapters/sqlite/sqlite_gate.h"
#include "adapters/sqlite/sqlite_connection.h"
#include "adapters/sqlite/sqlite_store.h"

namespace twostep::sqlite {

class SqliteTransaction : public sql::SqlTransaction<Connection> {
 public:
  // Holds `gate` (empty for a reader) until it commits or rolls back.
  SqliteTransaction(SqliteStore& store, std::unique_ptr<Connection> conn, Gate::Pass gate,
                    SqliteStore::Role role = SqliteStore::Role::kWriter);
  ~SqliteTransaction() override;
  void Commit() override;

 private:
  SqliteStore& store_;
  Gate::Pass gate_;
  SqliteStore::Role role_;
  bool done_ = false;
};

}  // namespace twostep::sqlite
