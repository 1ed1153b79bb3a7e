#include "adapters/sqlite/sqlite_schema.h"

#include <string>

#include "adapters/sql/migrations.h"
#include "adapters/sql/schema.h"
#include "adapters/sqlite/sqlite_connection.h"
#include "ports/store.h"

namespace twostep::sqlite {

namespace {

constexpr sql::MigrationSql kMigrationSql = {
    .begin = "BEGIN IMMEDIATE",
    .lock = nullptr,  // BEGIN IMMEDIATE already excludes other writers
    .create_version_table = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                            " version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
    .record_version = "INSERT INTO schema_migrations(version, applied_at)"
                      " VALUES (?1, strftime('%s','now') * 1000)",
};

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(sql::Migrations(sql::kSqliteDialect).size()); }

void Migrate(Connection& db) {
  sql::ApplyMigrations(db, sql::Migrations(sql::kSqliteDialect), kMigrationSql);
}

}  // namespace twostep::sqlite
