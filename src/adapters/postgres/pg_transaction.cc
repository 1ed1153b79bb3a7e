#include "adapters/postgres/pg_transaction.h"

#include "adapters/postgres/pg_store.h"

namespace twostep::pg {

PgTransaction::PgTransaction(PgStore& store, std::unique_ptr<Connection> conn,
                             const sql::Queries& queries)
    : SqlTransaction(queries, std::move(conn)), store_(store) {}

PgTransaction::~PgTransaction() {
  if (done_ || !conn_) return;
  try {
    conn_->Exec("ROLLBACK");
    store_.Release(std::move(conn_));
  } catch (...) {
    // The connection is in an unknown state (or gone): free its slot and
    // drop it instead of reusing it.
    store_.Release(nullptr);
  }
}

void PgTransaction::Commit() {
  conn_->Exec("COMMIT");
  done_ = true;
  store_.Release(std::move(conn_));
}

}  // namespace twostep::pg
