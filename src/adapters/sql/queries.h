// The SQL of the Transaction verbs, shared by the SQLite and PostgreSQL
// stores. Parameters are written ?1, ?2 ... (SQLite's form; the PostgreSQL
// connection turns them into $1, $2 ... when it prepares a statement). The
// two dialects differ only where a read must lock: SQLite serialises writers
// with BEGIN IMMEDIATE, PostgreSQL locks the rows read (FOR UPDATE) and each
// rate-limit key (an advisory lock).
#pragma once

namespace twostep::sql {

struct Queries {
  const char* select_account_by_email;
  const char* select_account_by_id;
  const char* insert_account;
  const char* update_account;
  const char* insert_challenge;
  const char* select_challenge;
  const char* update_challenge;
  const char* insert_family;
  const char* insert_access;
  const char* insert_refresh;
  const char* select_valid_access;
  const char* select_refresh;
  const char* mark_refresh_used;
  const char* revoke_family;
  const char* revoke_account_families;
  const char* revoke_device_families;
  const char* select_events;
  const char* select_device;
  const char* select_trusted_devices;
  const char* count_devices;
  const char* select_open_challenges;
  const char* select_challenges_alive_at;
  const char* select_rollout;
  const char* upsert_rollout;
  const char* touch_device;
  const char* touch_trusted_device;
  const char* trust_device;
  const char* untrust_device;
  const char* mark_device_seen;
  const char* set_family_device_secret;
  const char* family_live;
  const char* count_hits;
  const char* insert_hit;
  const char* delete_hits;
  const char* delete_one_hit;
  const char* insert_mail;
  const char* insert_event;
  // Before CountHits: locks the key for the rest of the transaction
  // (nullptr: nothing to do).
  const char* lock_key;

  // Store-level statements (each in its own transaction).
  const char* select_security_facts;
  const char* select_due_mail;
  const char* lease_mail;
  const char* delete_mail;  // RETURNING recipient
  const char* mark_deliverable;
  const char* mark_undeliverable;
  const char* fail_mail;
  const char* next_due;
  const char* mail_backlog;
  const char* drop_stale_code_mail;
  const char* prune_hits;
  const char* prune_events;
  const char* prune_challenges;
  const char* prune_unverified;
  const char* wipe_sealed;
  const char* prune_families;
  const char* prune_access_tokens;
  const char* prune_refresh_tokens;
};

extern const Queries kSqliteQueries;
extern const Queries kPostgresQueries;
// PostgreSQL's read-only transactions: no row locks (FOR UPDATE is refused
// in a READ ONLY transaction, and a read needs none).
extern const Queries kPostgresReadQueries;

}  // namespace twostep::sql
