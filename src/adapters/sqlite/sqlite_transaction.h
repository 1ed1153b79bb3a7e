// SqliteTransaction: one BEGIN ... COMMIT on a pooled connection, inside the
// store's gate (one transaction of this process at a time), with the verbs
// of sql::SqlTransaction. The gate makes every read-then-write atomic.
// Rolled back in the destructor unless committed. One thread only.
#pragma once

#include <memory>
#include <mutex>

#include "adapters/sql/sql_transaction.h"
#include "adapters/sqlite/sqlite_connection.h"

namespace twostep::sqlite {

class SqliteStore;

class SqliteTransaction : public sql::SqlTransaction<Connection> {
 public:
  // Holds the store's gate until it commits or rolls back.
  SqliteTransaction(SqliteStore& store, std::unique_ptr<Connection> conn,
                    std::unique_lock<std::timed_mutex> gate);
  ~SqliteTransaction() override;
  void Commit() override;

 private:
  SqliteStore& store_;
  std::unique_lock<std::timed_mutex> gate_;
  bool done_ = false;
};

}  // namespace twostep::sqlite
