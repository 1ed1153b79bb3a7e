#include "adapters/sql/queries.h"

namespace twostep::sql {

namespace {

// Reads that PostgreSQL runs with FOR UPDATE are spelled once, as macros.
#define SELECT_ACCOUNT                                                                    \
  "SELECT id, email, password_hash, email_verified, created_at, password_changed_at,"    \
  " registered_app, two_step_enabled, two_step_email_verified, wrong_code_streak,"       \
  " challenges_blocked_until, email_undeliverable_since, locale, time_zone FROM accounts"
#define SELECT_CHALLENGE                                                                  \
  "SELECT id, account_id, purpose, method, state, code_hash, sealed_code, attempts_left," \
  " sends, created_at, expires_at, last_sent_at, req_device_id, req_name, req_model,"     \
  " req_os, req_app, req_app_version, req_ip, password_hash, email, app, switched_to_email," \
  " key_id, locale, time_zone FROM challenges"
#define SELECT_REFRESH                                                                    \
  "SELECT f.id, f.account_id, f.device_id, r.expires_at, r.used,"                        \
  " CASE WHEN f.revoked_at IS NULL THEN 0 ELSE 1 END, f.device_secret_hash"               \
  " FROM refresh_tokens r JOIN token_families f ON f.id = r.family_id WHERE r.hash = ?1"

constexpr const char* kSelectAccountByEmail = SELECT_ACCOUNT " WHERE email = ?1";
constexpr const char* kLockAccountByEmail = SELECT_ACCOUNT " WHERE email = ?1 FOR UPDATE";
constexpr const char* kSelectAccountById = SELECT_ACCOUNT " WHERE id = ?1";
constexpr const char* kLockAccountById = SELECT_ACCOUNT " WHERE id = ?1 FOR UPDATE";
constexpr const char* kSelectChallenge = SELECT_CHALLENGE " WHERE id = ?1";
constexpr const char* kLockChallenge = SELECT_CHALLENGE " WHERE id = ?1 FOR UPDATE";
constexpr const char* kSelectRefresh = SELECT_REFRESH;
constexpr const char* kLockRefresh = SELECT_REFRESH " FOR UPDATE OF r, f";
constexpr const char* kSelectOpenChallenges =
    SELECT_CHALLENGE " WHERE account_id = ?1 AND purpose = ?2 AND state = 'pending'"
    " AND expires_at > ?3 ORDER BY created_at";
constexpr const char* kSelectChallengesAliveAt =
    SELECT_CHALLENGE " WHERE account_id = ?1 AND purpose = ?2 AND expires_at > ?3"
    " ORDER BY created_at";

constexpr const char* kInsertAccount =
    "INSERT INTO accounts(id, email, password_hash, email_verified, created_at,"
    " password_changed_at, registered_app, two_step_enabled, two_step_email_verified,"
    " wrong_code_streak, challenges_blocked_until, email_undeliverable_since, locale, time_zone)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
    " ON CONFLICT(email) DO NOTHING";
constexpr const char* kUpdateAccount =
    "UPDATE accounts SET email = ?2, password_hash = ?3, email_verified = ?4, created_at = ?5,"
    " password_changed_at = ?6, registered_app = ?7, two_step_enabled = ?8,"
    " two_step_email_verified = ?9, wrong_code_streak = ?10, challenges_blocked_until = ?11,"
    " email_undeliverable_since = ?12, locale = ?13, time_zone = ?14 WHERE id = ?1";

constexpr const char* kInsertChallenge =
    "INSERT INTO challenges(id, account_id, purpose, method, state, code_hash, sealed_code,"
    " attempts_left, sends, created_at, expires_at, last_sent_at, req_device_id, req_name,"
    " req_model, req_os, req_app, req_app_version, req_ip, password_hash, email, app,"
    " switched_to_email, key_id, locale, time_zone)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
    " ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)";
constexpr const char* kUpdateChallenge =
    "UPDATE challenges SET account_id = ?2, purpose = ?3, method = ?4, state = ?5,"
    " code_hash = ?6, sealed_code = ?7, attempts_left = ?8, sends = ?9, created_at = ?10,"
    " expires_at = ?11, last_sent_at = ?12, req_device_id = ?13, req_name = ?14,"
    " req_model = ?15, req_os = ?16, req_app = ?17, req_app_version = ?18, req_ip = ?19,"
    " password_hash = ?20, email = ?21, app = ?22, switched_to_email = ?23, key_id = ?24,"
    " locale = ?25, time_zone = ?26 WHERE id = ?1";

constexpr const char* kInsertFamily =
    "INSERT INTO token_families(id, account_id, device_id, created_at, device_secret_hash)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr const char* kFamilyLive =
    "SELECT 1 FROM token_families f WHERE f.id = ?1 AND f.revoked_at IS NULL AND EXISTS"
    " (SELECT 1 FROM refresh_tokens r WHERE r.family_id = f.id AND r.used = 0"
    " AND r.expires_at > ?2)";
constexpr const char* kSetFamilyDeviceSecret =
    "UPDATE token_families SET device_secret_hash = ?2 WHERE id = ?1";
constexpr const char* kInsertAccess =
    "INSERT INTO access_tokens(hash, family_id, expires_at) VALUES (?1, ?2, ?3)";
constexpr const char* kInsertRefresh =
    "INSERT INTO refresh_tokens(hash, family_id, expires_at) VALUES (?1, ?2, ?3)";
constexpr const char* kSelectValidAccess =
    "SELECT f.account_id, f.id, f.device_id, a.expires_at, f.device_secret_hash"
    " FROM access_tokens a"
    " JOIN token_families f ON f.id = a.family_id"
    " WHERE a.hash = ?1 AND a.expires_at > ?2 AND f.revoked_at IS NULL";
constexpr const char* kMarkRefreshUsed = "UPDATE refresh_tokens SET used = 1 WHERE hash = ?1";
constexpr const char* kRevokeFamily =
    "UPDATE token_families SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL";
constexpr const char* kRevokeAccountFamilies =
    "UPDATE token_families SET revoked_at = ?3"
    " WHERE account_id = ?1 AND id <> ?2 AND revoked_at IS NULL RETURNING device_id";
constexpr const char* kRevokeDeviceFamilies =
    "UPDATE token_families SET revoked_at = ?3"
    " WHERE account_id = ?1 AND device_id = ?2 AND revoked_at IS NULL";
constexpr const char* kSelectEvents =
    "SELECT id, account_id, at, event, outcome, device_id, device_name, device_model, device_os,"
    " app, app_version, ip, trusted, method FROM login_events"
    " WHERE account_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3";

constexpr const char* kSelectDevice =
    "SELECT account_id, device_id, name, model, os, app, app_version, first_seen_at,"
    " last_seen_at, last_ip, trusted, secret_hash, trusted_at FROM devices"
    " WHERE account_id = ?1 AND device_id = ?2";
constexpr const char* kSelectTrustedDevices =
    "SELECT account_id, device_id, name, model, os, app, app_version, first_seen_at,"
    " last_seen_at, last_ip, trusted, secret_hash, trusted_at FROM devices"
    " WHERE account_id = ?1 AND trusted = 1 ORDER BY trusted_at, device_id";
// Store::ReadSecurityFacts in one statement (one snapshot, one round trip):
// the valid access grant (?1 token hash, ?2 now) with its account, the app
// of the caller's device and the stored rollout of feature ?3 for that app
// (only while two-step is off: the two lookups cost SQLite ~15 % of the
// read, bench/micro/store_read_bench.cc), and one row per trusted device
// (its columns NULL when there is none; unsorted, which spares a sort).
// Columns: grant 0-4 (as kSelectValidAccess), account 5-18 (SELECT_ACCOUNT),
// caller app 19, rollout percent and allow 20-21, device 22-34 (kSelectDevice).
constexpr const char* kSelectSecurityFacts =
    "SELECT g.account_id, g.id, g.device_id, g.expires_at, g.device_secret_hash,"
    " ac.id, ac.email, ac.password_hash, ac.email_verified, ac.created_at,"
    " ac.password_changed_at, ac.registered_app, ac.two_step_enabled,"
    " ac.two_step_email_verified, ac.wrong_code_streak, ac.challenges_blocked_until,"
    " ac.email_undeliverable_since, ac.locale, ac.time_zone,"
    " COALESCE(cd.app, ''), r.percent, r.allow,"
    " d.account_id, d.device_id, d.name, d.model, d.os, d.app, d.app_version, d.first_seen_at,"
    " d.last_seen_at, d.last_ip, d.trusted, d.secret_hash, d.trusted_at"
    " FROM (SELECT f.account_id, f.id, f.device_id, a.expires_at, f.device_secret_hash"
    " FROM access_tokens a JOIN token_families f ON f.id = a.family_id"
    " WHERE a.hash = ?1 AND a.expires_at > ?2 AND f.revoked_at IS NULL) g"
    " JOIN accounts ac ON ac.id = g.account_id"
    " LEFT JOIN devices cd ON ac.two_step_enabled = 0 AND cd.account_id = g.account_id"
    " AND cd.device_id = g.device_id"
    " LEFT JOIN rollouts r ON ac.two_step_enabled = 0 AND r.feature = ?3"
    " AND r.app = COALESCE(cd.app, '')"
    " LEFT JOIN devices d ON d.account_id = g.account_id AND d.trusted = 1";
constexpr const char* kCountDevices = "SELECT COUNT(*) FROM devices WHERE account_id = ?1";
constexpr const char* kSelectRollout =
    "SELECT percent, allow FROM rollouts WHERE feature = ?1 AND app = ?2";
constexpr const char* kUpsertRollout =
    "INSERT INTO rollouts(feature, app, percent, allow) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT(feature, app) DO UPDATE SET percent = excluded.percent, allow = excluded.allow";
// "Seen" writes never touch the trust columns: a sign-in or refresh that
// read the device before a removal committed cannot write its trust back.
constexpr const char* kTouchDevice =
    "INSERT INTO devices(account_id, device_id, name, model, os, app, app_version, first_seen_at,"
    " last_seen_at, last_ip, trusted, secret_hash, trusted_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, 0, '', NULL)"
    " ON CONFLICT(account_id, device_id) DO UPDATE SET name = excluded.name,"
    " model = excluded.model, os = excluded.os, app = excluded.app,"
    " app_version = excluded.app_version, last_seen_at = excluded.last_seen_at,"
    " last_ip = excluded.last_ip";
// Compare-and-set: only while the device is trusted with the secret the
// caller checked. RETURNING tells whether a row changed.
constexpr const char* kTouchTrustedDevice =
    "UPDATE devices SET name = ?3, model = ?4, os = ?5, app = ?6, app_version = ?7,"
    " last_seen_at = ?8, last_ip = ?9"
    " WHERE account_id = ?1 AND device_id = ?2 AND trusted = 1 AND secret_hash = ?10"
    " RETURNING device_id";
constexpr const char* kTrustDevice =
    "INSERT INTO devices(account_id, device_id, name, model, os, app, app_version, first_seen_at,"
    " last_seen_at, last_ip, trusted, secret_hash, trusted_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, 1, ?10, ?8)"
    " ON CONFLICT(account_id, device_id) DO UPDATE SET name = excluded.name,"
    " model = excluded.model, os = excluded.os, app = excluded.app,"
    " app_version = excluded.app_version, last_seen_at = excluded.last_seen_at,"
    " last_ip = excluded.last_ip, trusted = 1, secret_hash = excluded.secret_hash,"
    " trusted_at = excluded.trusted_at";
constexpr const char* kUntrustDevice =
    "UPDATE devices SET trusted = 0, secret_hash = '', trusted_at = NULL"
    " WHERE account_id = ?1 AND device_id = ?2 AND trusted = 1 AND secret_hash = ?3"
    " RETURNING device_id";
constexpr const char* kMarkDeviceSeen =
    "UPDATE devices SET last_seen_at = ?3 WHERE account_id = ?1 AND device_id = ?2";

// Serialises the check-then-record of one rate-limit key across processes.
constexpr const char* kLockKey = "SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))";
constexpr const char* kCountHits =
    "SELECT COUNT(*), MIN(at) FROM rate_hits WHERE key = ?1 AND at > ?2";
constexpr const char* kInsertHit = "INSERT INTO rate_hits(key, at) VALUES (?1, ?2)";
constexpr const char* kDeleteHits = "DELETE FROM rate_hits WHERE key = ?1";
// One row of possibly equal ones: SQLite names it by rowid, PostgreSQL by ctid.
constexpr const char* kDeleteOneHit =
    "DELETE FROM rate_hits WHERE rowid ="
    " (SELECT rowid FROM rate_hits WHERE key = ?1 AND at = ?2 LIMIT 1)";
constexpr const char* kPgDeleteOneHit =
    "DELETE FROM rate_hits WHERE ctid ="
    " (SELECT ctid FROM rate_hits WHERE key = ?1 AND at = ?2 LIMIT 1)";

constexpr const char* kInsertMail =
    "INSERT INTO outbox(recipient, subject, body_text, body_html, created_at, next_attempt_at,"
    " challenge_id, language) VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7)";
// A code mail is worth sending while its challenge is open and its code is
// the newest one sent (a resend at or before the mail's creation).
constexpr const char* kDropStaleCodeMail =
    "DELETE FROM outbox WHERE challenge_id <> '' AND NOT EXISTS (SELECT 1 FROM challenges c"
    " WHERE c.id = outbox.challenge_id AND c.state = 'pending' AND c.expires_at > ?1"
    " AND c.last_sent_at <= outbox.created_at)";
constexpr const char* kInsertEvent =
    "INSERT INTO login_events(account_id, at, event, outcome, device_id, device_name,"
    " device_model, device_os, app, app_version, ip, trusted, method)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";


// The app is that of the account the address belongs to (a scalar
// subquery, which PostgreSQL's FOR UPDATE accepts where an outer join's
// nullable side it would not).
#define SELECT_DUE_MAIL                                                                      \
  "SELECT id, recipient, subject, body_text, body_html, created_at, attempts,"             \
  " COALESCE((SELECT a.registered_app FROM accounts a WHERE a.email = outbox.recipient), ''),"\
  " language"                                                                                \
  " FROM outbox WHERE next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?2"
constexpr const char* kSelectDueMail = SELECT_DUE_MAIL;
// SKIP LOCKED: instances claim disjoint batches instead of waiting on each
// other; the lease (next_attempt_at) hides a claimed message once committed.
constexpr const char* kClaimDueMail = SELECT_DUE_MAIL " FOR UPDATE SKIP LOCKED";
constexpr const char* kLeaseMail = "UPDATE outbox SET next_attempt_at = ?2 WHERE id = ?1";
constexpr const char* kDeleteMail = "DELETE FROM outbox WHERE id = ?1 RETURNING recipient";
constexpr const char* kMarkDeliverable =
    "UPDATE accounts SET email_undeliverable_since = NULL"
    " WHERE email = ?1 AND email_undeliverable_since IS NOT NULL";
constexpr const char* kMarkUndeliverable =
    "UPDATE accounts SET email_undeliverable_since = ?2"
    " WHERE email = ?1 AND email_undeliverable_since IS NULL";
constexpr const char* kFailMail =
    "UPDATE outbox SET attempts = ?2, next_attempt_at = ?3 WHERE id = ?1";
constexpr const char* kNextDue = "SELECT MIN(next_attempt_at) FROM outbox";
constexpr const char* kMailBacklog = "SELECT COUNT(*), MIN(created_at) FROM outbox";
constexpr const char* kPruneHits = "DELETE FROM rate_hits WHERE at < ?1";
constexpr const char* kPruneEvents = "DELETE FROM login_events WHERE at < ?1";
constexpr const char* kPruneChallenges = "DELETE FROM challenges WHERE expires_at < ?1";
// Challenges, devices, tokens and events go with the account (ON DELETE
// CASCADE). An open challenge keeps it: its owner may be typing the code.
constexpr const char* kPruneUnverified =
    "DELETE FROM accounts WHERE email_verified = 0 AND created_at < ?1 AND NOT EXISTS"
    " (SELECT 1 FROM challenges c WHERE c.account_id = accounts.id AND c.state = 'pending'"
    " AND c.expires_at > ?2)";
// A session (token family) goes, with its tokens, once it ended before the
// cutoff ?1: signed out then, or no longer live (no refresh token valid at
// ?2, now) and made before it. Expired tokens go at once: none is accepted
// again (a used refresh token stays until it expires: presenting it again
// revokes its family).
constexpr const char* kPruneFamilies =
    "DELETE FROM token_families WHERE created_at < ?1 AND (revoked_at < ?1 OR"
    " (revoked_at IS NULL AND NOT EXISTS (SELECT 1 FROM refresh_tokens r"
    " WHERE r.family_id = token_families.id AND r.expires_at > ?2)))";
constexpr const char* kPruneAccessTokens = "DELETE FROM access_tokens WHERE expires_at <= ?1";
constexpr const char* kPruneRefreshTokens = "DELETE FROM refresh_tokens WHERE expires_at <= ?1";
constexpr const char* kWipeSealed =
    "UPDATE challenges SET sealed_code = '', password_hash = ''"
    " WHERE expires_at <= ?1 AND (sealed_code <> '' OR password_hash <> '')";

}  // namespace

const Queries kSqliteQueries = {
    .select_account_by_email = kSelectAccountByEmail,
    .select_account_by_id = kSelectAccountById,
    .insert_account = kInsertAccount,
    .update_account = kUpdateAccount,
    .insert_challenge = kInsertChallenge,
    .select_challenge = kSelectChallenge,
    .update_challenge = kUpdateChallenge,
    .insert_family = kInsertFamily,
    .insert_access = kInsertAccess,
    .insert_refresh = kInsertRefresh,
    .select_valid_access = kSelectValidAccess,
    .select_refresh = kSelectRefresh,
    .mark_refresh_used = kMarkRefreshUsed,
    .revoke_family = kRevokeFamily,
    .revoke_account_families = kRevokeAccountFamilies,
    .revoke_device_families = kRevokeDeviceFamilies,
    .select_events = kSelectEvents,
    .select_device = kSelectDevice,
    .select_trusted_devices = kSelectTrustedDevices,
    .count_devices = kCountDevices,
    .select_open_challenges = kSelectOpenChallenges,
    .select_challenges_alive_at = kSelectChallengesAliveAt,
    .select_rollout = kSelectRollout,
    .upsert_rollout = kUpsertRollout,
    .touch_device = kTouchDevice,
    .touch_trusted_device = kTouchTrustedDevice,
    .trust_device = kTrustDevice,
    .untrust_device = kUntrustDevice,
    .mark_device_seen = kMarkDeviceSeen,
    .set_family_device_secret = kSetFamilyDeviceSecret,
    .family_live = kFamilyLive,
    .count_hits = kCountHits,
    .insert_hit = kInsertHit,
    .delete_hits = kDeleteHits,
    .delete_one_hit = kDeleteOneHit,
    .insert_mail = kInsertMail,
    .insert_event = kInsertEvent,
    .lock_key = nullptr,
    .select_security_facts = kSelectSecurityFacts,
    .select_due_mail = kSelectDueMail,
    .lease_mail = kLeaseMail,
    .delete_mail = kDeleteMail,
    .mark_deliverable = kMarkDeliverable,
    .mark_undeliverable = kMarkUndeliverable,
    .fail_mail = kFailMail,
    .next_due = kNextDue,
    .mail_backlog = kMailBacklog,
    .drop_stale_code_mail = kDropStaleCodeMail,
    .prune_hits = kPruneHits,
    .prune_events = kPruneEvents,
    .prune_challenges = kPruneChallenges,
    .prune_unverified = kPruneUnverified,
    .wipe_sealed = kWipeSealed,
    .prune_families = kPruneFamilies,
    .prune_access_tokens = kPruneAccessTokens,
    .prune_refresh_tokens = kPruneRefreshTokens,
};

namespace {
// The same statements, but reads that precede a write lock what they read.
Queries Locking(Queries q) {
  q.select_account_by_email = kLockAccountByEmail;
  q.select_account_by_id = kLockAccountById;
  q.select_challenge = kLockChallenge;
  q.select_refresh = kLockRefresh;
  q.lock_key = kLockKey;
  q.delete_one_hit = kPgDeleteOneHit;
  q.select_due_mail = kClaimDueMail;
  return q;
}
}  // namespace

const Queries kPostgresQueries = Locking(kSqliteQueries);
const Queries kPostgresReadQueries = kSqliteQueries;

}  // namespace twostep::sql
