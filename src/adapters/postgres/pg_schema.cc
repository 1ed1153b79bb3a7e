#include "adapters/postgres/pg_schema.h"

#include <iterator>

#include "adapters/postgres/pg_connection.h"
#include "adapters/sql/migrations.h"
#include "ports/store.h"

namespace twostep::pg {

namespace {

// The same tables as the SQLite store (adapters/sqlite/sqlite_schema.cc), in
// PostgreSQL's types. Times are BIGINT milliseconds since the Unix epoch.
constexpr const char* kMigration1 = R"SQL(
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  email_verified INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  password_changed_at BIGINT NOT NULL,
  registered_app TEXT NOT NULL,
  two_step_enabled INTEGER NOT NULL,
  two_step_email_verified INTEGER NOT NULL,
  wrong_code_streak INTEGER NOT NULL DEFAULT 0,
  challenges_blocked_until BIGINT
);
CREATE TABLE challenges (
  id TEXT PRIMARY KEY,
  account_id TEXT REFERENCES accounts(id) ON DELETE CASCADE,
  purpose TEXT NOT NULL,
  method TEXT NOT NULL,
  state TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  sealed_code TEXT NOT NULL,
  attempts_left INTEGER NOT NULL,
  sends INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  last_sent_at BIGINT NOT NULL,
  req_device_id TEXT NOT NULL,
  req_name TEXT NOT NULL,
  req_model TEXT NOT NULL,
  req_os TEXT NOT NULL,
  req_app TEXT NOT NULL,
  req_app_version TEXT NOT NULL,
  req_ip TEXT NOT NULL,
  payload TEXT NOT NULL
);
CREATE INDEX challenges_by_account ON challenges(account_id, created_at);
CREATE INDEX challenges_by_expiry ON challenges(expires_at);
CREATE TABLE token_families (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  device_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX token_families_by_account ON token_families(account_id, device_id);
CREATE TABLE access_tokens (
  hash TEXT PRIMARY KEY,
  family_id TEXT NOT NULL REFERENCES token_families(id) ON DELETE CASCADE,
  expires_at BIGINT NOT NULL
);
CREATE TABLE refresh_tokens (
  hash TEXT PRIMARY KEY,
  family_id TEXT NOT NULL REFERENCES token_families(id) ON DELETE CASCADE,
  expires_at BIGINT NOT NULL,
  used INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE devices (
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  device_id TEXT NOT NULL,
  name TEXT NOT NULL,
  model TEXT NOT NULL,
  os TEXT NOT NULL,
  app TEXT NOT NULL,
  app_version TEXT NOT NULL,
  first_seen_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  last_ip TEXT NOT NULL,
  trusted INTEGER NOT NULL,
  secret_hash TEXT NOT NULL,
  trusted_at BIGINT,
  PRIMARY KEY (account_id, device_id)
);
CREATE INDEX devices_trusted ON devices(account_id, trusted);
CREATE TABLE rate_hits (
  key TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX rate_hits_by_key ON rate_hits(key, at);
CREATE INDEX rate_hits_by_time ON rate_hits(at);
CREATE TABLE outbox (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body_text TEXT NOT NULL,
  body_html TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL
);
CREATE INDEX outbox_due ON outbox(next_attempt_at);
CREATE TABLE login_events (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  at BIGINT NOT NULL,
  event TEXT NOT NULL,
  outcome TEXT NOT NULL,
  device_id TEXT NOT NULL,
  device_name TEXT NOT NULL,
  device_model TEXT NOT NULL,
  device_os TEXT NOT NULL,
  app TEXT NOT NULL,
  app_version TEXT NOT NULL,
  ip TEXT NOT NULL,
  trusted INTEGER NOT NULL,
  method TEXT NOT NULL
);
CREATE INDEX login_events_by_account ON login_events(account_id, id);
CREATE INDEX login_events_by_time ON login_events(at);
CREATE TABLE rollouts (
  feature TEXT NOT NULL,
  app TEXT NOT NULL,
  percent INTEGER NOT NULL,
  allow TEXT NOT NULL,
  PRIMARY KEY (feature, app)
);
CREATE TABLE service_meta (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)SQL";

// Security fixes (issue 23), as SQLite's migration 3.
constexpr const char* kMigration2 = R"SQL(
ALTER TABLE challenges ADD COLUMN password_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE token_families ADD COLUMN device_secret_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX accounts_unverified ON accounts(email_verified, created_at);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens(family_id);
)SQL";

constexpr const char* kMigrations[] = {kMigration1, kMigration2};

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
constexpr const char* kGetFingerprint = "SELECT value FROM service_meta WHERE name = 'key_fingerprint'";

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

void Migrate(Connection& db) { sql::ApplyMigrations(db, kMigrations, kMigrationSql); }

void CheckKeyFingerprint(Connection& db, const std::string& fingerprint) {
  db.Prepare(kPutFingerprint).Bind(1, fingerprint).Run();
  auto st = db.Prepare(kGetFingerprint);
  if (!st.Step() || st.Text(0) != fingerprint)
    throw StoreError(
        "the server keys differ from those of the other instances on this database: give every "
        "instance the same key file (security.keys_file)");
}

}  // namespace twostep::pg
