#include "adapters/sqlite/sqlite_transaction.h"

#include <algorithm>
#include <cstdint>

#include "adapters/sqlite/sqlite_connection.h"
#include "adapters/sqlite/sqlite_store.h"

namespace twostep::sqlite {

namespace {

constexpr const char* kSelectAccountByEmail =
    "SELECT id, email, password_hash, email_verified, created_at, password_changed_at,"
    " registered_app, two_step_enabled, two_step_email_verified, wrong_code_streak,"
    " challenges_blocked_until FROM accounts WHERE email = ?1";
constexpr const char* kSelectAccountById =
    "SELECT id, email, password_hash, email_verified, created_at, password_changed_at,"
    " registered_app, two_step_enabled, two_step_email_verified, wrong_code_streak,"
    " challenges_blocked_until FROM accounts WHERE id = ?1";
constexpr const char* kInsertAccount =
    "INSERT INTO accounts(id, email, password_hash, email_verified, created_at,"
    " password_changed_at, registered_app, two_step_enabled, two_step_email_verified,"
    " wrong_code_streak, challenges_blocked_until)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT(email) DO NOTHING";
constexpr const char* kUpdateAccount =
    "UPDATE accounts SET email = ?2, password_hash = ?3, email_verified = ?4, created_at = ?5,"
    " password_changed_at = ?6, registered_app = ?7, two_step_enabled = ?8,"
    " two_step_email_verified = ?9, wrong_code_streak = ?10, challenges_blocked_until = ?11"
    " WHERE id = ?1";

constexpr const char* kInsertChallenge =
    "INSERT INTO challenges(id, account_id, purpose, method, state, code_hash, sealed_code,"
    " attempts_left, sends, created_at, expires_at, last_sent_at, req_device_id, req_name,"
    " req_model, req_os, req_app, req_app_version, req_ip, payload)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
    " ?19, ?20)";
constexpr const char* kSelectChallenge =
    "SELECT id, account_id, purpose, method, state, code_hash, sealed_code, attempts_left, sends,"
    " created_at, expires_at, last_sent_at, req_device_id, req_name, req_model, req_os, req_app,"
    " req_app_version, req_ip, payload FROM challenges WHERE id = ?1";
constexpr const char* kUpdateChallenge =
    "UPDATE challenges SET account_id = ?2, purpose = ?3, method = ?4, state = ?5,"
    " code_hash = ?6, sealed_code = ?7, attempts_left = ?8, sends = ?9, created_at = ?10,"
    " expires_at = ?11, last_sent_at = ?12, req_device_id = ?13, req_name = ?14,"
    " req_model = ?15, req_os = ?16, req_app = ?17, req_app_version = ?18, req_ip = ?19,"
    " payload = ?20 WHERE id = ?1";

constexpr const char* kInsertFamily =
    "INSERT INTO token_families(id, account_id, device_id, created_at) VALUES (?1, ?2, ?3, ?4)";
constexpr const char* kInsertAccess =
    "INSERT INTO access_tokens(hash, family_id, expires_at) VALUES (?1, ?2, ?3)";
constexpr const char* kInsertRefresh =
    "INSERT INTO refresh_tokens(hash, family_id, expires_at) VALUES (?1, ?2, ?3)";
constexpr const char* kSelectValidAccess =
    "SELECT f.account_id, f.id, f.device_id, a.expires_at FROM access_tokens a"
    " JOIN token_families f ON f.id = a.family_id"
    " WHERE a.hash = ?1 AND a.expires_at > ?2 AND f.revoked_at IS NULL";
constexpr const char* kSelectRefresh =
    "SELECT f.id, f.account_id, f.device_id, r.expires_at, r.used, f.revoked_at IS NOT NULL"
    " FROM refresh_tokens r JOIN token_families f ON f.id = r.family_id WHERE r.hash = ?1";
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
constexpr const char* kCountDevices = "SELECT COUNT(*) FROM devices WHERE account_id = ?1";
constexpr const char* kSelectOpenChallenges =
    "SELECT id, account_id, purpose, method, state, code_hash, sealed_code, attempts_left, sends,"
    " created_at, expires_at, last_sent_at, req_device_id, req_name, req_model, req_os, req_app,"
    " req_app_version, req_ip, payload FROM challenges"
    " WHERE account_id = ?1 AND purpose = ?2 AND state = 'pending' AND expires_at > ?3"
    " ORDER BY created_at";
constexpr const char* kSelectRollout =
    "SELECT percent, allow FROM rollouts WHERE feature = ?1 AND app = ?2";
constexpr const char* kUpsertRollout =
    "INSERT INTO rollouts(feature, app, percent, allow) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT(feature, app) DO UPDATE SET percent = ?3, allow = ?4";
constexpr const char* kUpsertDevice =
    "INSERT INTO devices(account_id, device_id, name, model, os, app, app_version, first_seen_at,"
    " last_seen_at, last_ip, trusted, secret_hash, trusted_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
    " ON CONFLICT(account_id, device_id) DO UPDATE SET name = ?3, model = ?4, os = ?5, app = ?6,"
    " app_version = ?7, last_seen_at = ?9, last_ip = ?10, trusted = ?11, secret_hash = ?12,"
    " trusted_at = ?13";

constexpr const char* kCountHits =
    "SELECT COUNT(*), MIN(at) FROM rate_hits WHERE key = ?1 AND at > ?2";
constexpr const char* kInsertHit = "INSERT INTO rate_hits(key, at) VALUES (?1, ?2)";
constexpr const char* kDeleteHits = "DELETE FROM rate_hits WHERE key = ?1";

constexpr const char* kInsertMail =
    "INSERT INTO outbox(recipient, subject, body_text, body_html, created_at, next_attempt_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?5)";
constexpr const char* kInsertEvent =
    "INSERT INTO login_events(account_id, at, event, outcome, device_id, device_name,"
    " device_model, device_os, app, app_version, ip, trusted, method)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";

domain::Account ReadAccount(const Statement& st) {
  domain::Account a;
  a.id = st.Text(0);
  a.email = st.Text(1);
  a.password_hash = st.Text(2);
  a.email_verified = st.Int(3) != 0;
  a.created_at = FromMillis(st.Int(4));
  a.password_changed_at = FromMillis(st.Int(5));
  a.registered_app = st.Text(6);
  a.two_step_enabled = st.Int(7) != 0;
  a.two_step_email_verified = st.Int(8) != 0;
  a.wrong_code_streak = static_cast<int>(st.Int(9));
  if (!st.IsNull(10)) a.challenges_blocked_until = FromMillis(st.Int(10));
  return a;
}

void BindAccount(Statement& st, const domain::Account& a) {
  st.Bind(1, a.id).Bind(2, a.email).Bind(3, a.password_hash)
      .Bind(4, int64_t{a.email_verified}).Bind(5, ToMillis(a.created_at))
      .Bind(6, ToMillis(a.password_changed_at)).Bind(7, a.registered_app)
      .Bind(8, int64_t{a.two_step_enabled}).Bind(9, int64_t{a.two_step_email_verified})
      .Bind(10, int64_t{a.wrong_code_streak});
  if (a.challenges_blocked_until) st.Bind(11, ToMillis(*a.challenges_blocked_until));
  else st.BindNull(11);
}

void BindChallenge(Statement& st, const domain::Challenge& c) {
  st.Bind(1, c.id);
  if (c.account_id.empty()) st.BindNull(2); else st.Bind(2, c.account_id);
  st.Bind(3, domain::PurposeName(c.purpose)).Bind(4, domain::MethodName(c.method))
      .Bind(5, domain::StateName(c.state)).Bind(6, c.code_hash).Bind(7, c.sealed_code)
      .Bind(8, int64_t{c.attempts_left}).Bind(9, int64_t{c.sends})
      .Bind(10, ToMillis(c.created_at)).Bind(11, ToMillis(c.expires_at))
      .Bind(12, ToMillis(c.last_sent_at)).Bind(13, c.requester.id).Bind(14, c.requester.name)
      .Bind(15, c.requester.model).Bind(16, c.requester.os).Bind(17, c.requester.app)
      .Bind(18, c.requester.app_version).Bind(19, c.requester_ip).Bind(20, c.payload);
}

domain::Challenge ReadChallenge(const Statement& st) {
  domain::Challenge c;
  c.id = st.Text(0);
  c.account_id = st.Text(1);
  c.purpose = domain::ParsePurpose(st.Text(2)).value_or(domain::ChallengePurpose::kRegistration);
  c.method = domain::ParseMethod(st.Text(3)).value_or(domain::ChallengeMethod::kEmail);
  // An unreadable state is treated as expired: fail closed.
  c.state = domain::ParseState(st.Text(4)).value_or(domain::ChallengeState::kExpired);
  c.code_hash = st.Text(5);
  c.sealed_code = st.Text(6);
  c.attempts_left = static_cast<int>(st.Int(7));
  c.sends = static_cast<int>(st.Int(8));
  c.created_at = FromMillis(st.Int(9));
  c.expires_at = FromMillis(st.Int(10));
  c.last_sent_at = FromMillis(st.Int(11));
  c.requester = {st.Text(12), st.Text(13), st.Text(14), st.Text(15), st.Text(16), st.Text(17)};
  c.requester_ip = st.Text(18);
  c.payload = st.Text(19);
  return c;
}

}  // namespace

SqliteTransaction::SqliteTransaction(SqliteStore& store, std::unique_ptr<Connection> conn,
                                     std::unique_lock<std::timed_mutex> gate)
    : store_(store), conn_(std::move(conn)), gate_(std::move(gate)) {
  // DEFERRED is enough under the gate: no other transaction of this process
  // runs until this one ends, so the snapshot of the first read is still the
  // newest when the first write takes SQLite's write lock, and a read-only
  // transaction (most requests) never takes it: two fcntl calls fewer per
  // transaction. Should another process write to the file in between, the
  // write fails with SQLITE_BUSY_SNAPSHOT (a StoreError, 503): never a lost
  // update.
  conn_->Exec("BEGIN");
}

SqliteTransaction::~SqliteTransaction() {
  if (done_) return;
  try {
    conn_->Exec("ROLLBACK");
    store_.Release(std::move(conn_));
  } catch (...) {
    // The connection is in an unknown state: drop it instead of reusing it.
  }
}

void SqliteTransaction::Commit() {
  conn_->Exec("COMMIT");
  done_ = true;
  store_.Release(std::move(conn_));
  gate_.unlock();
}

std::optional<domain::Account> SqliteTransaction::FindAccountByEmail(const std::string& email) {
  auto st = conn_->Prepare(kSelectAccountByEmail);
  st.Bind(1, email);
  if (!st.Step()) return std::nullopt;
  return ReadAccount(st);
}

std::optional<domain::Account> SqliteTransaction::FindAccountById(const std::string& id) {
  auto st = conn_->Prepare(kSelectAccountById);
  st.Bind(1, id);
  if (!st.Step()) return std::nullopt;
  return ReadAccount(st);
}

bool SqliteTransaction::InsertAccount(const domain::Account& account) {
  auto st = conn_->Prepare(kInsertAccount);
  BindAccount(st, account);
  st.Run();
  return st.Changes() == 1;
}

void SqliteTransaction::UpdateAccount(const domain::Account& account) {
  auto st = conn_->Prepare(kUpdateAccount);
  BindAccount(st, account);
  st.Run();
}

void SqliteTransaction::InsertChallenge(const domain::Challenge& c) {
  auto st = conn_->Prepare(kInsertChallenge);
  BindChallenge(st, c);
  st.Run();
}

std::optional<domain::Challenge> SqliteTransaction::LockChallenge(const std::string& id) {
  // A locked read: the store's gate keeps every other transaction of this
  // process out until this one ends (and SQLite refuses our later write if
  // another process wrote in between).
  auto st = conn_->Prepare(kSelectChallenge);
  st.Bind(1, id);
  if (!st.Step()) return std::nullopt;
  return ReadChallenge(st);
}

void SqliteTransaction::UpdateChallenge(const domain::Challenge& c) {
  auto st = conn_->Prepare(kUpdateChallenge);
  BindChallenge(st, c);
  st.Run();
}

void SqliteTransaction::InsertTokenFamily(const domain::TokenFamily& f) {
  conn_->Prepare(kInsertFamily).Bind(1, f.id).Bind(2, f.account_id).Bind(3, f.device_id)
      .Bind(4, ToMillis(f.created_at)).Run();
}

void SqliteTransaction::InsertAccessToken(const std::string& token_hash,
                                          const std::string& family_id, Timestamp expires_at) {
  conn_->Prepare(kInsertAccess).Bind(1, token_hash).Bind(2, family_id)
      .Bind(3, ToMillis(expires_at)).Run();
}

void SqliteTransaction::InsertRefreshToken(const std::string& token_hash,
                                           const std::string& family_id, Timestamp expires_at) {
  conn_->Prepare(kInsertRefresh).Bind(1, token_hash).Bind(2, family_id)
      .Bind(3, ToMillis(expires_at)).Run();
}

std::optional<domain::AccessGrant> SqliteTransaction::FindValidAccess(
    const std::string& token_hash, Timestamp now) {
  auto st = conn_->Prepare(kSelectValidAccess);
  st.Bind(1, token_hash).Bind(2, ToMillis(now));
  if (!st.Step()) return std::nullopt;
  return domain::AccessGrant{st.Text(0), st.Text(1), st.Text(2), FromMillis(st.Int(3))};
}

std::optional<domain::RefreshRecord> SqliteTransaction::LockRefreshToken(
    const std::string& token_hash) {
  auto st = conn_->Prepare(kSelectRefresh);
  st.Bind(1, token_hash);
  if (!st.Step()) return std::nullopt;
  return domain::RefreshRecord{st.Text(0), st.Text(1), st.Text(2), FromMillis(st.Int(3)),
                               st.Int(4) != 0, st.Int(5) != 0};
}

void SqliteTransaction::MarkRefreshUsed(const std::string& token_hash) {
  conn_->Prepare(kMarkRefreshUsed).Bind(1, token_hash).Run();
}

void SqliteTransaction::RevokeFamily(const std::string& family_id, Timestamp now) {
  conn_->Prepare(kRevokeFamily).Bind(1, family_id).Bind(2, ToMillis(now)).Run();
}

std::vector<std::string> SqliteTransaction::RevokeAccountFamilies(
    const std::string& account_id, const std::string& keep_family_id, Timestamp now) {
  auto st = conn_->Prepare(kRevokeAccountFamilies);
  st.Bind(1, account_id).Bind(2, keep_family_id).Bind(3, ToMillis(now));
  std::vector<std::string> devices;
  while (st.Step()) {
    auto d = st.Text(0);
    if (std::find(devices.begin(), devices.end(), d) == devices.end()) devices.push_back(d);
  }
  return devices;
}

void SqliteTransaction::RevokeDeviceFamilies(const std::string& account_id,
                                             const std::string& device_id, Timestamp now) {
  conn_->Prepare(kRevokeDeviceFamilies).Bind(1, account_id).Bind(2, device_id)
      .Bind(3, ToMillis(now)).Run();
}

namespace {
domain::DeviceRecord ReadDevice(const Statement& st) {
  domain::DeviceRecord d;
  d.account_id = st.Text(0);
  d.description = {st.Text(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5), st.Text(6)};
  d.first_seen_at = FromMillis(st.Int(7));
  d.last_seen_at = FromMillis(st.Int(8));
  d.last_ip = st.Text(9);
  d.trusted = st.Int(10) != 0;
  d.secret_hash = st.Text(11);
  if (!st.IsNull(12)) d.trusted_at = FromMillis(st.Int(12));
  return d;
}
}  // namespace

std::optional<domain::DeviceRecord> SqliteTransaction::FindDevice(const std::string& account_id,
                                                                  const std::string& device_id) {
  auto st = conn_->Prepare(kSelectDevice);
  st.Bind(1, account_id).Bind(2, device_id);
  if (!st.Step()) return std::nullopt;
  return ReadDevice(st);
}

std::vector<domain::DeviceRecord> SqliteTransaction::ListTrustedDevices(
    const std::string& account_id) {
  auto st = conn_->Prepare(kSelectTrustedDevices);
  st.Bind(1, account_id);
  std::vector<domain::DeviceRecord> out;
  while (st.Step()) out.push_back(ReadDevice(st));
  return out;
}

int SqliteTransaction::CountDevices(const std::string& account_id) {
  auto st = conn_->Prepare(kCountDevices);
  st.Bind(1, account_id);
  return st.Step() ? static_cast<int>(st.Int(0)) : 0;
}

std::vector<domain::Challenge> SqliteTransaction::OpenChallenges(const std::string& account_id,
                                                                 domain::ChallengePurpose purpose,
                                                                 Timestamp now) {
  auto st = conn_->Prepare(kSelectOpenChallenges);
  st.Bind(1, account_id).Bind(2, domain::PurposeName(purpose)).Bind(3, ToMillis(now));
  std::vector<domain::Challenge> out;
  while (st.Step()) out.push_back(ReadChallenge(st));
  return out;
}

std::optional<domain::Rollout> SqliteTransaction::FindRollout(const std::string& feature,
                                                              const std::string& app) {
  auto st = conn_->Prepare(kSelectRollout);
  st.Bind(1, feature).Bind(2, app);
  if (!st.Step()) return std::nullopt;
  domain::Rollout r{feature, app, static_cast<int>(st.Int(0)), {}};
  std::string allow = st.Text(1);
  for (size_t s = 0; s < allow.size();) {
    size_t nl = allow.find('\n', s);
    if (nl == std::string::npos) nl = allow.size();
    if (nl > s) r.allow.push_back(allow.substr(s, nl - s));
    s = nl + 1;
  }
  return r;
}

void SqliteTransaction::PutRollout(const domain::Rollout& r) {
  std::string allow;
  for (const auto& e : r.allow) allow += e + "\n";
  conn_->Prepare(kUpsertRollout).Bind(1, r.feature).Bind(2, r.app).Bind(3, int64_t{r.percent})
      .Bind(4, allow).Run();
}

void SqliteTransaction::UpsertDevice(const domain::DeviceRecord& d) {
  std::optional<int64_t> trusted_at;
  if (d.trusted_at) trusted_at = ToMillis(*d.trusted_at);
  conn_->Prepare(kUpsertDevice).Bind(1, d.account_id).Bind(2, d.description.id)
      .Bind(3, d.description.name).Bind(4, d.description.model).Bind(5, d.description.os)
      .Bind(6, d.description.app).Bind(7, d.description.app_version)
      .Bind(8, ToMillis(d.first_seen_at)).Bind(9, ToMillis(d.last_seen_at)).Bind(10, d.last_ip)
      .Bind(11, int64_t{d.trusted}).Bind(12, d.secret_hash).Bind(13, trusted_at).Run();
}

domain::WindowCount SqliteTransaction::CountHits(const std::string& key, Timestamp since) {
  auto st = conn_->Prepare(kCountHits);
  st.Bind(1, key).Bind(2, ToMillis(since));
  domain::WindowCount wc;
  if (st.Step()) {
    wc.hits = static_cast<int>(st.Int(0));
    if (!st.IsNull(1)) wc.oldest = FromMillis(st.Int(1));
  }
  return wc;
}

void SqliteTransaction::RecordHit(const std::string& key, Timestamp at) {
  conn_->Prepare(kInsertHit).Bind(1, key).Bind(2, ToMillis(at)).Run();
}

void SqliteTransaction::ClearHits(const std::string& key) {
  conn_->Prepare(kDeleteHits).Bind(1, key).Run();
}

void SqliteTransaction::EnqueueMail(const MailMessage& m, Timestamp now) {
  conn_->Prepare(kInsertMail).Bind(1, m.to).Bind(2, m.subject).Bind(3, m.text).Bind(4, m.html)
      .Bind(5, ToMillis(now)).Run();
}

void SqliteTransaction::AppendLoginEvent(const LoginEvent& e) {
  conn_->Prepare(kInsertEvent).Bind(1, e.account_id).Bind(2, ToMillis(e.at)).Bind(3, e.event)
      .Bind(4, e.outcome).Bind(5, e.device.id).Bind(6, e.device.name).Bind(7, e.device.model)
      .Bind(8, e.device.os).Bind(9, e.device.app).Bind(10, e.device.app_version).Bind(11, e.ip)
      .Bind(12, int64_t{e.trusted}).Bind(13, e.method).Run();
}

std::vector<LoginEvent> SqliteTransaction::ListLoginEvents(const std::string& account_id,
                                                           int64_t before_id, int limit) {
  auto st = conn_->Prepare(kSelectEvents);
  st.Bind(1, account_id).Bind(2, before_id > 0 ? before_id : INT64_MAX).Bind(3, int64_t{limit});
  std::vector<LoginEvent> out;
  while (st.Step()) {
    LoginEvent e;
    e.id = st.Int(0);
    e.account_id = st.Text(1);
    e.at = FromMillis(st.Int(2));
    e.event = st.Text(3);
    e.outcome = st.Text(4);
    e.device = {st.Text(5), st.Text(6), st.Text(7), st.Text(8), st.Text(9), st.Text(10)};
    e.ip = st.Text(11);
    e.trusted = st.Int(12) != 0;
    e.method = st.Text(13);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace twostep::sqlite
