// One schema for both stores (issue 15): the migrations are written once,
// with the few words where SQLite and PostgreSQL differ left as
// placeholders that each dialect fills: {time} (integer milliseconds since
// the Unix epoch, UTC), {serial_pk} (an increasing integer key) and
// {add_column} (PostgreSQL's databases created before the unification
// already have the columns of migration 2, so it adds them only if missing).
// schema_catalog_test.cc compares the two resulting catalogs.
#include "adapters/sql/schema.h"

namespace twostep::sql {

namespace {

constexpr const char* kMigration1 = R"SQL(
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  email_verified INTEGER NOT NULL,
  created_at {time} NOT NULL,
  password_changed_at {time} NOT NULL,
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
  created_at {time} NOT NULL,
  expires_at {time} NOT NULL,
  last_sent_at {time} NOT NULL,
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
  created_at {time} NOT NULL,
  revoked_at {time}
);
CREATE INDEX token_families_by_account ON token_families(account_id);
CREATE TABLE access_tokens (
  hash TEXT PRIMARY KEY,
  family_id TEXT NOT NULL REFERENCES token_families(id) ON DELETE CASCADE,
  expires_at {time} NOT NULL
);
CREATE TABLE refresh_tokens (
  hash TEXT PRIMARY KEY,
  family_id TEXT NOT NULL REFERENCES token_families(id) ON DELETE CASCADE,
  expires_at {time} NOT NULL,
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
  first_seen_at {time} NOT NULL,
  last_seen_at {time} NOT NULL,
  last_ip TEXT NOT NULL,
  trusted INTEGER NOT NULL,
  secret_hash TEXT NOT NULL,
  trusted_at {time},
  PRIMARY KEY (account_id, device_id)
);
CREATE TABLE rate_hits (
  key TEXT NOT NULL,
  at {time} NOT NULL
);
CREATE INDEX rate_hits_by_key ON rate_hits(key, at);
CREATE INDEX rate_hits_by_time ON rate_hits(at);
CREATE TABLE outbox (
  id {serial_pk},
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body_text TEXT NOT NULL,
  body_html TEXT NOT NULL,
  created_at {time} NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at {time} NOT NULL
);
CREATE INDEX outbox_due ON outbox(next_attempt_at);
CREATE TABLE login_events (
  id {serial_pk},
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  at {time} NOT NULL,
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
CREATE INDEX login_events_by_account ON login_events(account_id, id);)SQL";

// Two-step state per account, and the rollout of features per app.
constexpr const char* kMigration2 = R"SQL(
ALTER TABLE accounts {add_column} wrong_code_streak INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts {add_column} challenges_blocked_until {time};
CREATE TABLE IF NOT EXISTS rollouts (
  feature TEXT NOT NULL,
  app TEXT NOT NULL,
  percent INTEGER NOT NULL,
  allow TEXT NOT NULL,
  PRIMARY KEY (feature, app)
);
CREATE INDEX IF NOT EXISTS devices_trusted ON devices(account_id, trusted);
)SQL";

// Security fixes (issue 23): each registration challenge carries the
// password hash of its own registration (the account gets the one that is
// confirmed), and each token family remembers the device secret its session
// presented or was issued, so that only such a session acts as that trusted
// device. Unverified accounts are pruned by age; live WebSockets are checked
// against their session's refresh tokens. The challenge's free-text payload
// gives way to typed columns (the address a code went to, the registering
// app, whether the free first switch to email was used). And the catalogs
// made equal:
// indexes that only PostgreSQL had, the key fingerprint table on both.
constexpr const char* kMigration3 = R"SQL(
ALTER TABLE challenges ADD COLUMN password_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE challenges ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE challenges ADD COLUMN app TEXT NOT NULL DEFAULT '';
ALTER TABLE challenges ADD COLUMN switched_to_email INTEGER NOT NULL DEFAULT 0;
ALTER TABLE challenges DROP COLUMN payload;
ALTER TABLE token_families ADD COLUMN device_secret_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX accounts_unverified ON accounts(email_verified, created_at);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens(family_id);
CREATE INDEX IF NOT EXISTS challenges_by_expiry ON challenges(expires_at);
CREATE INDEX IF NOT EXISTS login_events_by_time ON login_events(at);
DROP INDEX IF EXISTS token_families_by_account;
CREATE INDEX token_families_by_account ON token_families(account_id, device_id);
CREATE TABLE IF NOT EXISTS service_meta (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)SQL";

// Mobile push (issue 20): one registration per device of an account, made
// by one session (family_id): it stops being used when that session ends,
// and the revoking verbs delete it. Looked up by (provider, token) when a
// provider says the token is gone, or when it moves to another account.
constexpr const char* kMigration4 = R"SQL(
CREATE TABLE push_tokens (
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  device_id TEXT NOT NULL,
  family_id TEXT NOT NULL,
  app TEXT NOT NULL,
  provider TEXT NOT NULL,
  token TEXT NOT NULL,
  also_when_live INTEGER NOT NULL,
  registered_at {time} NOT NULL,
  PRIMARY KEY (account_id, device_id)
);
CREATE INDEX push_tokens_by_token ON push_tokens(provider, token);
CREATE INDEX push_tokens_by_family ON push_tokens(family_id);
)SQL";

// Key rotation (issue #22): the id of the server key pair that made each
// challenge's code; '' for challenges made before (the current pair).
constexpr const char* kMigration5 = R"SQL(
ALTER TABLE challenges ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
)SQL";

// Mail that arrives (issue 21): when a receiving server refused mail to the
// account's address for good (SMTP 5xx at RCPT/DATA), and since when.
constexpr const char* kMigration6 = R"SQL(
ALTER TABLE accounts ADD COLUMN email_undeliverable_since {time};
)SQL";

// Code mails name their challenge, so that the outbox drops a code mail
// whose challenge ended while the mail server was down (issue 16).
constexpr const char* kMigration7 = R"SQL(
ALTER TABLE outbox ADD COLUMN challenge_id TEXT NOT NULL DEFAULT '';
)SQL";

// Languages (issue #24, U17): each account's language and time zone, those
// a registration chose (the account takes the confirmed one's), and the
// language each queued mail is written in (its Content-Language).
constexpr const char* kMigration8 = R"SQL(
ALTER TABLE accounts ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';
ALTER TABLE accounts ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE challenges ADD COLUMN locale TEXT NOT NULL DEFAULT '';
ALTER TABLE challenges ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
)SQL";

// Housekeeping prunes expired access and refresh tokens (issue 16: they
// were kept forever, and the database grew with every sign-in).
constexpr const char* kMigration9 = R"SQL(
CREATE INDEX access_tokens_by_expiry ON access_tokens(expires_at);
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens(expires_at);
)SQL";

// Key rotation without restarts (issue #22): the generations of code keys
// that `twostepd keys rotate` made, each sealed under the key file's pair;
// the newest makes new codes on every instance that loaded it.
constexpr const char* kMigration10 = R"SQL(
CREATE TABLE key_generations (
  id TEXT PRIMARY KEY,
  sealed TEXT NOT NULL,
  created_at {time} NOT NULL
);
)SQL";

constexpr const char* kMigrations[] = {kMigration1, kMigration2, kMigration3, kMigration4,
                                       kMigration5, kMigration6, kMigration7, kMigration8,
                                       kMigration9, kMigration10};

std::string Fill(std::string text, std::string_view token, std::string_view value) {
  for (size_t at = text.find(token); at != std::string::npos; at = text.find(token, at + value.size()))
    text.replace(at, token.size(), value);
  return text;
}

}  // namespace

std::vector<std::string> Migrations(const Dialect& d) {
  std::vector<std::string> out;
  for (const char* m : kMigrations)
    out.push_back(Fill(Fill(Fill(m, "{time}", d.time), "{serial_pk}", d.serial_pk),
                       "{add_column}", d.add_column));
  return out;
}

}  // namespace twostep::sql
