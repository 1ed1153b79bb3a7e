#include "adapters/postgres/pg_schema.h"

#include <algorithm>

#include "adapters/postgres/pg_connection.h"
#include "adapters/sql/migrations.h"
#include "adapters/sql/schema.h"
#include "ports/store.h"

namespace twostep::pg {

namespace {

constexpr sql::MigrationSql kMigrationSql = {
    .begin = "BEGIN",
    // Instances starting at once wait here; any constant shared by all
    // instances will do ("twostep" in ASCII).
    .lock = "SELECT pg_advisory_xact_lock(8391086433178841968)",
    .create_version_table = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                            " version INTEGER PRIMARY KEY,"
                            " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    .record_version = "INSERT INTO schema_migrations(version) VALUES (?1)",
};

constexpr const char* kPutFingerprint =
    "INSERT INTO service_meta(name, value) VALUES ('key_fingerprint', ?1)"
    " ON CONFLICT (name) DO NOTHING";
constexpr const char* kSetFingerprint =
    "UPDATE service_meta SET value = ?1 WHERE name = 'key_fingerprint'";
constexpr const char* kGetFingerprint = "SELECT value FROM service_meta WHERE name = 'key_fingerprint'";

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(sql::Migrations(sql::kPostgresDialect).size()); }

void Migrate(Connection& db) {
  sql::ApplyMigrations(db, sql::Migrations(sql::kPostgresDialect), kMigrationSql);
}

void CheckKeyFingerprint(Connection& db, const std::string& fingerprint,
                         const std::vector<std::string>& accepted) {
  db.Prepare(kPutFingerprint).Bind(1, fingerprint).Run();
  auto st = db.Prepare(kGetFingerprint);
  const std::string recorded = st.Step() ? st.Text(0) : "";
  if (recorded == fingerprint) return;
  // A key rotation: the database knows a pair this instance still keeps;
  // from now on it records the new one (docs/OPERATIONS.md "Server keys").
  if (!recorded.empty() && std::find(accepted.begin(), accepted.end(), recorded) != accepted.end()) {
    db.Prepare(kSetFingerprint).Bind(1, fingerprint).Run();
    return;
  }
  throw StoreError(
        "the server keys differ from those of the other instances on this database: give every "
        "instance the same key file (security.keys_file)");
}

}  // namespace twostep::pg
