#include "adapters/sqlite/sqlite_store.h"

#include "adapters/sqlite/sqlite_connection.h"
#include "adapters/sqlite/sqlite_schema.h"
#include "adapters/sqlite/sqlite_transaction.h"

namespace twostep::sqlite {

namespace {
constexpr const char* kSelectDueMail =
    "SELECT id, recipient, subject, body_text, body_html, created_at, attempts FROM outbox"
    " WHERE next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?2";
constexpr const char* kLeaseMail = "UPDATE outbox SET next_attempt_at = ?2 WHERE id = ?1";
constexpr const char* kDeleteMail = "DELETE FROM outbox WHERE id = ?1";
constexpr const char* kFailMail =
    "UPDATE outbox SET attempts = ?2, next_attempt_at = ?3 WHERE id = ?1";
constexpr const char* kNextDue = "SELECT MIN(next_attempt_at) FROM outbox";
constexpr const char* kReleaseLeases =
    "UPDATE outbox SET next_attempt_at = ?1 WHERE next_attempt_at > ?1 AND attempts = 0";
constexpr const char* kPruneHits = "DELETE FROM rate_hits WHERE at < ?1";
constexpr const char* kPruneEvents = "DELETE FROM login_events WHERE at < ?1";
constexpr const char* kPruneChallenges = "DELETE FROM challenges WHERE expires_at < ?1";
constexpr const char* kWipeSealed =
    "UPDATE challenges SET sealed_code = '' WHERE expires_at <= ?1 AND sealed_code <> ''";

// Runs `fn(conn)` in its own transaction, inside the gate (DEFERRED is
// enough there: see SqliteTransaction).
template <typename Fn>
auto WithTx(SqliteStore& store, Fn fn) {
  auto gate = store.EnterGate();
  auto conn = store.Acquire();
  conn->Exec("BEGIN");
  try {
    if constexpr (std::is_void_v<decltype(fn(*conn))>) {
      fn(*conn);
      conn->Exec("COMMIT");
      store.Release(std::move(conn));
    } else {
      auto r = fn(*conn);
      conn->Exec("COMMIT");
      store.Release(std::move(conn));
      return r;
    }
  } catch (...) {
    try {
      conn->Exec("ROLLBACK");
      store.Release(std::move(conn));
    } catch (...) {
      // A connection that cannot roll back is dropped, not reused.
    }
    throw;
  }
}
}  // namespace

SqliteStore::SqliteStore(std::string path) : path_(std::move(path)) {
  auto conn = std::make_unique<Connection>(path_);
  Migrate(*conn);
  Release(std::move(conn));
}

SqliteStore::~SqliteStore() = default;

std::unique_ptr<Connection> SqliteStore::Acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
  }
  return std::make_unique<Connection>(path_);
}

void SqliteStore::Release(std::unique_ptr<Connection> conn) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < 16) idle_.push_back(std::move(conn));
}

std::unique_lock<std::timed_mutex> SqliteStore::EnterGate() {
  std::unique_lock<std::timed_mutex> gate(gate_, std::defer_lock);
  // The same patience as the connection's busy timeout (sqlite_connection.cc).
  if (!gate.try_lock_for(std::chrono::seconds(5))) throw StoreError("database is busy");
  return gate;
}

std::unique_ptr<Transaction> SqliteStore::Begin() {
  auto gate = EnterGate();
  return std::make_unique<SqliteTransaction>(*this, Acquire(), std::move(gate));
}

std::vector<OutboxItem> SqliteStore::ClaimDueMail(Timestamp now, Timestamp lease_until,
                                                  int limit) {
  return WithTx(*this, [&](Connection& c) {
    std::vector<OutboxItem> items;
    {
      auto st = c.Prepare(kSelectDueMail);
      st.Bind(1, ToMillis(now)).Bind(2, int64_t{limit});
      while (st.Step()) {
        OutboxItem it;
        it.id = st.Int(0);
        it.message = {st.Text(1), st.Text(2), st.Text(3), st.Text(4)};
        it.created_at = FromMillis(st.Int(5));
        it.attempts = static_cast<int>(st.Int(6));
        items.push_back(std::move(it));
      }
    }
    for (const auto& it : items) c.Prepare(kLeaseMail).Bind(1, it.id).Bind(2, ToMillis(lease_until)).Run();
    return items;
  });
}

void SqliteStore::MarkMailSent(int64_t id) {
  WithTx(*this, [&](Connection& c) { c.Prepare(kDeleteMail).Bind(1, id).Run(); });
}

void SqliteStore::MarkMailFailed(int64_t id, int attempts, Timestamp next_attempt_at) {
  WithTx(*this, [&](Connection& c) {
    c.Prepare(kFailMail).Bind(1, id).Bind(2, int64_t{attempts}).Bind(3, ToMillis(next_attempt_at)).Run();
  });
}

void SqliteStore::ReleaseMailLeases(Timestamp now) {
  WithTx(*this, [&](Connection& c) { c.Prepare(kReleaseLeases).Bind(1, ToMillis(now)).Run(); });
}

std::optional<Timestamp> SqliteStore::NextMailDue() {
  return WithTx(*this, [&](Connection& c) -> std::optional<Timestamp> {
    auto st = c.Prepare(kNextDue);
    if (st.Step() && !st.IsNull(0)) return FromMillis(st.Int(0));
    return std::nullopt;
  });
}

void SqliteStore::Prune(Timestamp hits_before, Timestamp events_before,
                        Timestamp challenges_before, Timestamp now) {
  WithTx(*this, [&](Connection& c) {
    c.Prepare(kPruneHits).Bind(1, ToMillis(hits_before)).Run();
    c.Prepare(kPruneEvents).Bind(1, ToMillis(events_before)).Run();
    c.Prepare(kPruneChallenges).Bind(1, ToMillis(challenges_before)).Run();
    c.Prepare(kWipeSealed).Bind(1, ToMillis(now)).Run();
  });
}

}  // namespace twostep::sqlite
