#include "adapters/postgres/pg_store.h"

#include "adapters/postgres/pg_connection.h"
#include "adapters/postgres/pg_schema.h"
#include "adapters/postgres/pg_transaction.h"
#include "adapters/sql/store_verbs.h"

namespace twostep::pg {

namespace {
constexpr const char* kStillSignedIn =
    "SELECT DISTINCT f.account_id, f.device_id FROM token_families f"
    " JOIN unnest($1::text[], $2::text[]) AS d(account_id, device_id)"
    " ON f.account_id = d.account_id AND f.device_id = d.device_id WHERE f.revoked_at IS NULL";

// A PostgreSQL array literal of text values: every element quoted, with
// backslash and double quote escaped.
std::string TextArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char ch : items[i]) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  return out + "}";
}

constexpr const char* kNotify = "SELECT pg_notify($1, $2)";
}  // namespace

PgStore::PgStore(PgSettings settings, const std::string& key_fingerprint,
                 const std::vector<std::string>& accepted_fingerprints)
    : settings_(std::move(settings)) {
  if (settings_.pool_size < 1) settings_.pool_size = 1;
  auto conn = std::make_unique<Connection>(settings_.url);
  Migrate(*conn);
  CheckKeyFingerprint(*conn, key_fingerprint, accepted_fingerprints);
  std::lock_guard lock(mutex_);
  ++open_;
  idle_.push_back(std::move(conn));
}

PgStore::~PgStore() = default;

std::unique_ptr<Connection> PgStore::Acquire() {
  {
    std::unique_lock lock(mutex_);
    bool ok = freed_.wait_for(lock, settings_.acquire_timeout, [this] {
      return !idle_.empty() || open_ < settings_.pool_size;
    });
    if (!ok) throw StoreError("postgresql: no connection free in the pool");
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
    ++open_;  // reserve the slot, connect outside the lock
  }
  try {
    return std::make_unique<Connection>(settings_.url);
  } catch (...) {
    Release(nullptr);
    throw;
  }
}

void PgStore::Release(std::unique_ptr<Connection> conn) {
  if (conn) round_trips_ += conn->TakeRoundTrips();
  {
    std::lock_guard lock(mutex_);
    if (conn && conn->Healthy()) idle_.push_back(std::move(conn));
    else --open_;
  }
  freed_.notify_one();
}

void PgStore::DropIdle() {
  std::vector<std::unique_ptr<Connection>> dropped;
  {
    std::lock_guard lock(mutex_);
    open_ -= static_cast<int>(idle_.size());
    dropped.swap(idle_);
  }
  freed_.notify_all();
}

// Runs `fn(conn)` on a pooled connection; `fn` releases it or keeps it.
// A pooled connection may have been closed by the server while idle: that
// shows at its first request, before anything ran (a BEGIN, or a read of
// one statement), so one fresh try is always safe.
template <typename Fn>
auto PgStore::OnLiveConnection(Fn fn) {
  for (int attempt = 0;; ++attempt) {
    auto conn = Acquire();
    try {
      return fn(conn);
    } catch (const StoreError&) {
      if (!conn) throw;  // `fn` had let go of it
      bool dropped = !conn->Healthy();
      Release(std::move(conn));
      if (!dropped || attempt >= 1) throw;
      // What dropped one (a restart, a failover) dropped its idle siblings.
      DropIdle();
    } catch (...) {
      if (conn) Release(nullptr);  // its state is unknown: free the slot, drop it
      throw;
    }
  }
}

std::unique_ptr<Connection> PgStore::AcquireInTransaction(const char* begin) {
  return OnLiveConnection([&](std::unique_ptr<Connection>& conn) {
    conn->Exec(begin);
    return std::move(conn);
  });
}

std::unique_ptr<Transaction> PgStore::Begin() {
  return std::make_unique<PgTransaction>(*this, AcquireInTransaction(), sql::kPostgresQueries);
}

std::unique_ptr<Transaction> PgStore::BeginRead() {
  return std::make_unique<PgTransaction>(
      *this, AcquireInTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"),
      sql::kPostgresReadQueries);
}

// Runs `fn(conn)` in its own transaction.
template <typename Fn>
auto PgStore::WithTx(Fn fn) {
  auto conn = AcquireInTransaction();
  try {
    if constexpr (std::is_void_v<decltype(fn(*conn))>) {
      fn(*conn);
      conn->Exec("COMMIT");
      Release(std::move(conn));
    } else {
      auto r = fn(*conn);
      conn->Exec("COMMIT");
      Release(std::move(conn));
      return r;
    }
  } catch (...) {
    try {
      if (conn->Healthy()) conn->Exec("ROLLBACK");
      Release(std::move(conn));
    } catch (...) {
      Release(nullptr);  // a connection that cannot roll back is dropped
    }
    throw;
  }
}

int64_t PgStore::RoundTrips() const { return round_trips_.load(); }

std::optional<SecurityFacts> PgStore::ReadSecurityFacts(const std::string& token_hash,
                                                        Timestamp now,
                                                        const std::string& feature) {
  return OnLiveConnection([&](std::unique_ptr<Connection>& conn) {
    auto facts = sql::ReadSecurityFacts(*conn, sql::kPostgresReadQueries, token_hash, now, feature);
    Release(std::move(conn));
    return facts;
  });
}

std::vector<OutboxItem> PgStore::ClaimDueMail(Timestamp now, Timestamp lease_until, int limit) {
  return WithTx([&](Connection& c) {
    return sql::ClaimDueMail(c, sql::kPostgresQueries, now, lease_until, limit);
  });
}

void PgStore::MarkMailSent(int64_t id) {
  WithTx([&](Connection& c) { sql::MarkMailSent(c, sql::kPostgresQueries, id); });
}

void PgStore::MarkMailRejected(int64_t id, Timestamp now) {
  WithTx([&](Connection& c) { sql::MarkMailRejected(c, sql::kPostgresQueries, id, now); });
}

void PgStore::MarkMailFailed(int64_t id, int attempts, Timestamp next_attempt_at) {
  WithTx([&](Connection& c) {
    sql::MarkMailFailed(c, sql::kPostgresQueries, id, attempts, next_attempt_at);
  });
}

std::optional<Timestamp> PgStore::NextMailDue() {
  return WithTx([&](Connection& c) { return sql::NextMailDue(c, sql::kPostgresQueries); });
}

int PgStore::DropStaleCodeMail(Timestamp now) {
  return WithTx([&](Connection& c) { return sql::DropStaleCodeMail(c, sql::kPostgresQueries, now); });
}

OutboxBacklog PgStore::MailBacklog() {
  return WithTx([&](Connection& c) { return sql::MailBacklog(c, sql::kPostgresQueries); });
}

void PgStore::Prune(const PruneCutoffs& before) {
  WithTx([&](Connection& c) {
    sql::Prune(c, sql::kPostgresQueries, before);
  });
}

std::vector<std::pair<std::string, std::string>> PgStore::StillSignedIn(
    const std::vector<std::pair<std::string, std::string>>& devices) {
  std::vector<std::string> accounts, ids;
  for (const auto& [account, device] : devices) {
    accounts.push_back(account);
    ids.push_back(device);
  }
  return WithTx([&](Connection& c) {
    std::vector<std::pair<std::string, std::string>> out;
    auto st = c.Prepare(kStillSignedIn);
    st.Bind(1, TextArray(accounts)).Bind(2, TextArray(ids));
    while (st.Step()) out.emplace_back(st.Text(0), st.Text(1));
    return out;
  });
}

void PgStore::Publish(const std::string& channel, const std::string& payload) {
  // One autocommitted statement: a NOTIFY is delivered when it commits.
  auto conn = Acquire();
  try {
    conn->Prepare(kNotify).Bind(1, channel).Bind(2, payload).Run();
  } catch (...) {
    Release(std::move(conn));
    throw;
  }
  Release(std::move(conn));
}

}  // namespace twostep::pg
