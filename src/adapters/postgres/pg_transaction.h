// PgTransaction: one BEGIN ... COMMIT (READ COMMITTED) on a pooled
// connection, with the verbs of sql::SqlTransaction in PostgreSQL's dialect:
// the reads that precede a write lock their rows (SELECT ... FOR UPDATE) and
// a rate-limit key takes a transaction-scoped advisory lock before it is
// counted, so every read-then-write is atomic across all instances on the
// database. The connection arrives already inside BEGIN (PgStore retries a
// dropped one there, before anything ran). Rolled back in the destructor
// unless committed. One thread only.
#pragma once

#include <memory>

#include "adapters/postgres/pg_connection.h"
#include "adapters/sql/sql_transaction.h"

namespace twostep::pg {

class PgStore;

class PgTransaction : public sql::SqlTransaction<Connection> {
 public:
  // `queries`: kPostgresQueries, or kPostgresReadQueries in a READ ONLY one.
  PgTransaction(PgStore& store, std::unique_ptr<Connection> conn, const sql::Queries& queries);
  ~PgTransaction() override;
  void Commit() override;

 private:
  PgStore& store_;
  bool done_ = false;
};

}  // namespace twostep::pg
