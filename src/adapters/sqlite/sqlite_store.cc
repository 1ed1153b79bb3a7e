#include "adapters/sqlite/sqlite_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>

#include "adapters/sqlite/sqlite_connection.h"
#include "adapters/sqlite/sqlite_schema.h"
#include "adapters/sqlite/sqlite_transaction.h"
#include "adapters/sql/store_verbs.h"

namespace twostep::sqlite {

namespace {
constexpr const char* kReleaseLeases =
    "UPDATE outbox SET next_attempt_at = ?1 WHERE next_attempt_at > ?1 AND attempts = 0";

// Runs `fn(conn)` in its own transaction, inside the gate (DEFERRED is
// enough there: see SqliteTransaction).
template <typename Fn>
auto WithTx(SqliteStore& store, Fn fn) {
  auto gate = store.EnterGate();
  auto conn = store.Acquire();
  conn->Begin();
  try {
    if constexpr (std::is_void_v<decltype(fn(*conn))>) {
      fn(*conn);
      conn->Commit();
      store.Release(std::move(conn));
    } else {
      auto r = fn(*conn);
      conn->Commit();
      store.Release(std::move(conn));
      return r;
    }
  } catch (...) {
    try {
      conn->Rollback();
      store.Release(std::move(conn));
    } catch (...) {
      // A connection that cannot roll back is dropped, not reused.
    }
    throw;
  }
}

// The database holds password, token and device-secret hashes and the
// login activity: readable and writable by the service's user only (0600),
// whatever the umask. SQLite creates the -wal and -shm files with the mode
// of the database file, so making that one 0600 before SQLite first opens
// it covers all three; files left by an older version are tightened too.
void RestrictDatabaseFiles(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0) return;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw StoreError("open " + path + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) == 0 && (st.st_mode & 077) != 0 && ::fchmod(fd, 0600) != 0)
    spdlog::warn(R"({{"event":"database_mode_not_restricted","error":"{}"}})", std::strerror(errno));
  ::close(fd);
  for (const char* suffix : {"-wal", "-shm"}) {
    const std::string side = path + suffix;
    if (::stat(side.c_str(), &st) == 0 && (st.st_mode & 077) != 0 && ::chmod(side.c_str(), 0600) != 0)
      spdlog::warn(R"({{"event":"database_mode_not_restricted","error":"{}"}})", std::strerror(errno));
  }
}
}  // namespace

SqliteStore::SqliteStore(std::string path) : path_(std::move(path)) {
  RestrictDatabaseFiles(path_);
  auto conn = std::make_unique<Connection>(path_);
  Migrate(*conn);
  Release(std::move(conn));
}

SqliteStore::~SqliteStore() = default;

std::unique_ptr<Connection> SqliteStore::Acquire(Role role) {
  auto& idle = role == Role::kReader ? idle_readers_ : idle_;
  {
    std::lock_guard lock(mutex_);
    if (!idle.empty()) {
      auto c = std::move(idle.back());
      idle.pop_back();
      return c;
    }
  }
  auto c = std::make_unique<Connection>(path_);
  if (role == Role::kReader) {
    c->Exec("PRAGMA query_only=1");
    // One reader per thread that reads: a quarter of the writer's cache
    // each keeps the process's page caches near their size before readers
    // had their own connections (bench/ANALYSIS.md, scenario 4).
    c->Exec("PRAGMA cache_size=-16384");
  }
  return c;
}

void SqliteStore::Release(std::unique_ptr<Connection> conn, Role role) {
  auto& idle = role == Role::kReader ? idle_readers_ : idle_;
  const int64_t now = conn->MemoryBytes();
  memory_bytes_ += now - conn->counted_bytes;
  conn->counted_bytes = now;
  conn->memory_total = &memory_bytes_;  // taken back out when it closes
  std::lock_guard lock(mutex_);
  if (idle.size() < 16) idle.push_back(std::move(conn));
}

Gate::Pass SqliteStore::EnterGate() { return gate_.Enter(); }

std::unique_ptr<Transaction> SqliteStore::Begin() {
  auto gate = EnterGate();
  return std::make_unique<SqliteTransaction>(*this, Acquire(), std::move(gate));
}

std::unique_ptr<Transaction> SqliteStore::BeginRead() {
  return std::make_unique<SqliteTransaction>(*this, Acquire(Role::kReader), Gate::Pass(),
                                             Role::kReader);
}

std::optional<SecurityFacts> SqliteStore::ReadSecurityFacts(const std::string& token_hash,
                                                            Timestamp now,
                                                            const std::string& feature) {
  auto conn = Acquire(Role::kReader);
  // A failure drops the connection (as a failed read transaction does).
  auto facts = sql::ReadSecurityFacts(*conn, sql::kSqliteQueries, token_hash, now, feature);
  Release(std::move(conn), Role::kReader);
  return facts;
}

std::vector<OutboxItem> SqliteStore::ClaimDueMail(Timestamp now, Timestamp lease_until, int limit) {
  return WithTx(*this, [&](Connection& c) {
    return sql::ClaimDueMail(c, sql::kSqliteQueries, now, lease_until, limit);
  });
}

void SqliteStore::MarkMailSent(int64_t id) {
  WithTx(*this, [&](Connection& c) { sql::MarkMailSent(c, sql::kSqliteQueries, id); });
}

void SqliteStore::MarkMailRejected(int64_t id, Timestamp now) {
  WithTx(*this, [&](Connection& c) { sql::MarkMailRejected(c, sql::kSqliteQueries, id, now); });
}

void SqliteStore::MarkMailFailed(int64_t id, int attempts, Timestamp next_attempt_at) {
  WithTx(*this, [&](Connection& c) {
    sql::MarkMailFailed(c, sql::kSqliteQueries, id, attempts, next_attempt_at);
  });
}

void SqliteStore::ReleaseMailLeases(Timestamp now) {
  WithTx(*this, [&](Connection& c) { c.Prepare(kReleaseLeases).Bind(1, ToMillis(now)).Run(); });
}

std::optional<Timestamp> SqliteStore::NextMailDue() {
  return WithTx(*this, [&](Connection& c) { return sql::NextMailDue(c, sql::kSqliteQueries); });
}

int SqliteStore::DropStaleCodeMail(Timestamp now) {
  return WithTx(*this, [&](Connection& c) { return sql::DropStaleCodeMail(c, sql::kSqliteQueries, now); });
}

OutboxBacklog SqliteStore::MailBacklog() {
  return WithTx(*this, [&](Connection& c) { return sql::MailBacklog(c, sql::kSqliteQueries); });
}

void SqliteStore::Prune(const PruneCutoffs& before) {
  WithTx(*this, [&](Connection& c) {
    sql::Prune(c, sql::kSqliteQueries, before);
  });
}

}  // namespace twostep::sqlite
