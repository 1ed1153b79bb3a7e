// Versioned schema migrations, applied the same way by both stores: in one
// transaction, from the version recorded in schema_migrations up to the
// newest this binary knows; a database newer than the binary is refused.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ports/store.h"

namespace twostep::sql {

struct MigrationSql {
  const char* begin;                 // "BEGIN IMMEDIATE" / "BEGIN"
  const char* lock;                  // run first inside the transaction (nullptr: none)
  const char* create_version_table;  // CREATE TABLE IF NOT EXISTS schema_migrations ...
  const char* record_version;        // INSERT ... VALUES (?1 ...)
};

template <class Conn>
void ApplyMigrations(Conn& db, const std::vector<std::string>& migrations, const MigrationSql& sql) {
  static constexpr const char* kCurrentVersion =
      "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
  const auto latest = static_cast<int64_t>(migrations.size());
  db.Exec(sql.begin);
  try {
    if (sql.lock) db.Exec(sql.lock);
    db.Exec(sql.create_version_table);
    int64_t current = 0;
    {
      auto st = db.Prepare(kCurrentVersion);
      if (st.Step()) current = st.Int(0);
    }
    if (current > latest)
      throw StoreError("database schema version " + std::to_string(current) +
                       " is newer than this twostepd knows (" + std::to_string(latest) + ")");
    for (int64_t v = current + 1; v <= latest; ++v) {
      db.Exec(migrations[static_cast<size_t>(v - 1)].c_str());
      db.Prepare(sql.record_version).Bind(1, v).Run();
    }
    db.Exec("COMMIT");
  } catch (...) {
    try {
      db.Exec("ROLLBACK");
    } catch (...) {
      // The connection is gone; the first error is the one to report.
    }
    throw;
  }
}

}  // namespace twostep::sql
