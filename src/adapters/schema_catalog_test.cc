// One schema, two dialects (issue 15): a fresh SQLite store and a fresh
// PostgreSQL store end with the same catalog (tables, columns, indexes and
// their columns), and so does a PostgreSQL database made by the schema of
// before the unification once it is migrated.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <tuple>

#include "adapters/postgres/pg_connection.h"
#include "adapters/postgres/pg_schema.h"
#include "adapters/sqlite/sqlite_connection.h"
#include "adapters/sqlite/sqlite_schema.h"
#include "testing/pg_test_database.h"
#include "testing/temp_dir.h"

namespace twostep {
namespace {

struct Catalog {
  std::set<std::pair<std::string, std::string>> columns;  // (table, column)
  // (index, table, columns in order): the indexes the schema creates, not
  // those the databases make for primary keys and UNIQUE.
  std::set<std::tuple<std::string, std::string, std::string>> indexes;
};

Catalog ReadSqlite(sqlite::Connection& db) {
  Catalog c;
  auto tables = db.Prepare(
      "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p"
      " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'");
  while (tables.Step()) c.columns.emplace(tables.Text(0), tables.Text(1));
  auto indexes = db.Prepare(
      "SELECT m.name, m.tbl_name, (SELECT group_concat(name, ',') FROM"
      " (SELECT name FROM pragma_index_info(m.name) ORDER BY seqno))"
      " FROM sqlite_master m WHERE m.type = 'index' AND m.name NOT LIKE 'sqlite_autoindex_%'");
  while (indexes.Step()) c.indexes.emplace(indexes.Text(0), indexes.Text(1), indexes.Text(2));
  return c;
}

Catalog ReadPostgres(pg::Connection& db) {
  Catalog c;
  auto columns = db.Prepare(
      "SELECT table_name, column_name FROM information_schema.columns"
      " WHERE table_schema = 'public'");
  while (columns.Step()) c.columns.emplace(columns.Text(0), columns.Text(1));
  auto indexes = db.Prepare(
      "SELECT i.relname, t.relname, string_agg(a.attname, ',' ORDER BY k.ord)"
      " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
      " JOIN pg_class t ON t.oid = x.indrelid"
      " JOIN pg_namespace n ON n.oid = t.relnamespace"
      " CROSS JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)"
      " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum"
      " WHERE n.nspname = 'public' AND NOT x.indisprimary AND NOT x.indisunique"
      " GROUP BY i.relname, t.relname");
  while (indexes.Step()) c.indexes.emplace(indexes.Text(0), indexes.Text(1), indexes.Text(2));
  return c;
}

// The PostgreSQL schema as it was before the two were unified (history: a
// database made by it must migrate to the same catalog).
constexpr const char* kLegacyPostgresV1 = R"SQL(
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


class SchemaCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    pg_ = testing::PgTestDatabase::Create(why);
    if (!pg_) {
      if (testing::PgTestDatabase::Required()) FAIL() << why;
      GTEST_SKIP() << why;
    }
    sqlite::Connection lite(dir_.path() + "/catalog.db");
    sqlite::Migrate(lite);
    sqlite_ = ReadSqlite(lite);
    ASSERT_FALSE(sqlite_.columns.empty());
  }
  testing::TempDir dir_;
  std::unique_ptr<testing::PgTestDatabase> pg_;
  Catalog sqlite_;
};

TEST_F(SchemaCatalogTest, AFreshPostgresCatalogEqualsTheSqliteOne) {
  pg::Connection db(pg_->url());
  pg::Migrate(db);
  auto catalog = ReadPostgres(db);
  EXPECT_EQ(catalog.columns, sqlite_.columns);
  EXPECT_EQ(catalog.indexes, sqlite_.indexes);
  EXPECT_EQ(pg::LatestSchemaVersion(), sqlite::LatestSchemaVersion());
}

TEST_F(SchemaCatalogTest, AnOlderPostgresDatabaseMigratesToTheSameCatalog) {
  pg::Connection db(pg_->url());
  db.Exec(kLegacyPostgresV1);
  db.Exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,"
          " applied_at TIMESTAMPTZ NOT NULL DEFAULT now());"
          " INSERT INTO schema_migrations(version) VALUES (1)");
  pg::Migrate(db);
  auto catalog = ReadPostgres(db);
  EXPECT_EQ(catalog.columns, sqlite_.columns);
  EXPECT_EQ(catalog.indexes, sqlite_.indexes);
}

}  // namespace
}  // namespace twostep
