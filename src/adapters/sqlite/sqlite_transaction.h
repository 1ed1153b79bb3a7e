// SqliteTransaction: one BEGIN IMMEDIATE ... COMMIT on a pooled connection,
// with the verbs of sql::SqlTransaction. BEGIN IMMEDIATE takes SQLite's write
// lock at once, so every read-then-write is atomic. Rolled back in the
// destructor unless committed. One thread only.
#pragma once

#include <memory>

#include "adapters/sql/sql_transaction.h"
#include "adapters/sqlite/sqlite_connection.h"

namespace twostep::sqlite {

class SqliteStore;

class SqliteTransaction : public sql::SqlTransaction<Connection> {
 public:
  SqliteTransaction(SqliteStore& store, std::unique_ptr<Connection> conn);
  ~SqliteTransaction() override;
  void Commit() override;

 private:
  SqliteStore& store_;
  bool done_ = false;
};

}  // namespace twostep::sqlite
