#include "adapters/sqlite/sqlite_schema.h"

#include <iterator>
#include <string>

#include "adapters/sql/migrations.h"
#include "adapters/sqlite/sqlite_connection.h"
#include "ports/store.h"

namespace twostep::sqlite {

namespace {

// Times are integer milliseconds since the Unix epoch (UTC).
constexpr const char* kMigration1 = R"SQL(
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  email_verified INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  password_changed_at INTEGER NOT NULL,
  registered_app TEXT NOT NULL,
  two_step_enabled INTEGER NOT NULL,
  two_step_email_verified INTEGER NOT NULL
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
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  last_sent_at INTEGER NOT NULL,
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
CREATE TABLE token_families (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  device_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX token_families_by_account ON token_families(account_id);
CREATE TABLE access_tokens (
  hash TEXT PRIMARY KEY,
  family_id TEXT NOT NULL REFERENCES token_families(id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL
);
CREATE TABLE refresh_tokens (
  hash TEXT PRIMARY KEY,
  family_id TEXT NOT NULL REFERENCES token_families(id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
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
  first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  last_ip TEXT NOT NULL,
  trusted INTEGER NOT NULL,
  secret_hash TEXT NOT NULL,
  trusted_at INTEGER,
  PRIMARY KEY (account_id, device_id)
);
CREATE TABLE rate_hits (
  key TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX rate_hits_by_key ON rate_hits(key, at);
CREATE INDEX rate_hits_by_time ON rate_hits(at);
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body_text TEXT NOT NULL,
  body_html TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox(next_attempt_at);
CREATE TABLE login_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
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
)SQL";

// Two-step state per account, and the rollout of features per app.
constexpr const char* kMigration2 = R"SQL(
ALTER TABLE accounts ADD COLUMN wrong_code_streak INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN challenges_blocked_until INTEGER;
CREATE TABLE rollouts (
  feature TEXT NOT NULL,
  app TEXT NOT NULL,
  percent INTEGER NOT NULL,
  allow TEXT NOT NULL,
  PRIMARY KEY (feature, app)
);
CREATE INDEX devices_trusted ON devices(account_id, trusted);
)SQL";

// Security fixes (issue 23): each registration challenge carries the
// password hash of its own registration (the account gets the one that is
// confirmed), and each token family remembers the device secret its session
// presented or was issued, so that only such a session acts as that trusted
// device. Unverified accounts are pruned by age; live WebSockets are checked
// against their session's refresh tokens.
constexpr const char* kMigration3 = R"SQL(
ALTER TABLE challenges ADD COLUMN password_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE token_families ADD COLUMN device_secret_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX accounts_unverified ON accounts(email_verified, created_at);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens(family_id);
)SQL";

constexpr const char* kMigrations[] = {kMigration1, kMigration2, kMigration3};

constexpr sql::MigrationSql kMigrationSql = {
    .begin = "BEGIN IMMEDIATE",
    .lock = nullptr,  // BEGIN IMMEDIATE already excludes other writers
    .create_version_table = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                            " version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
    .record_version = "INSERT INTO schema_migrations(version, applied_at)"
                      " VALUES (?1, strftime('%s','now') * 1000)",
};

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

void Migrate(Connection& db) { sql::ApplyMigrations(db, kMigrations, kMigrationSql); }

}  // namespace twostep::sqlite
