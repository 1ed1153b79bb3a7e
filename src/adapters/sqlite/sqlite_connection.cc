#include "adapters/sqlite/sqlite_connection.h"

#include <sqlite3.h>

#include "ports/store.h"

namespace twostep::sqlite {

namespace {
[[noreturn]] void Fail(sqlite3* db, std::string_view what) {
  throw StoreError(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "no database"));
}

// Once per process, before SQLite initialises itself: no memory statistics.
// With them on, every allocation SQLite makes takes one global mutex, which
// all connections (all work and I/O threads) then contend for.
void ConfigureSqliteOnce() {
  static const bool configured = [] {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  }();
  (void)configured;  // SQLITE_MISUSE when already initialised: only slower
}
}  // namespace

Statement::~Statement() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement& Statement::Bind(int index, std::string_view text) {
  if (sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK)
    Fail(db_, "bind");
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) Fail(db_, "bind");
  return *this;
}

Statement& Statement::BindNull(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) Fail(db_, "bind");
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<int64_t>& value) {
  return value ? Bind(index, *value) : BindNull(index);
}

bool Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Fail(db_, "step");
}

void Statement::Run() {
  while (Step()) {
  }
}

int Statement::Changes() const { return sqlite3_changes(db_); }

std::string Statement::Text(int col) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
}

int64_t Statement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }

bool Statement::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

Connection::Connection(const std::string& path) {
  ConfigureSqliteOnce();
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError("open " + path + ": " + msg);
  }
  sqlite3_extended_result_codes(db_, 1);
  // A writer waiting for another writer retries for up to 5 s before failing.
  sqlite3_busy_timeout(db_, 5000);
  Exec("PRAGMA journal_mode=WAL");
  // FULL: a commit is on disk before it is acknowledged (SPEC §2 Durability).
  Exec("PRAGMA synchronous=FULL");
  Exec("PRAGMA foreign_keys=ON");
  // 64 MiB of page cache (SQLite's default is 2 MiB): the store's gate lets
  // one transaction run at a time and the pool hands out the most recently
  // used connection, so in practice one connection's cache holds the hot
  // B-tree pages of a million accounts instead of re-reading them from the
  // OS for every lookup.
  Exec("PRAGMA cache_size=-65536");
}

Connection::~Connection() {
  if (memory_total) *memory_total -= counted_bytes;
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

int64_t Connection::MemoryBytes() {
  auto status = [this](int op) -> int64_t {
    int current = 0, highest = 0;
    return sqlite3_db_status(db_, op, &current, &highest, 0) == SQLITE_OK ? current : 0;
  };
  if (memory_samples_++ % kStructureSampleEvery == 0)
    structure_bytes_ = status(SQLITE_DBSTATUS_SCHEMA_USED) + status(SQLITE_DBSTATUS_STMT_USED);
  return status(SQLITE_DBSTATUS_CACHE_USED) + structure_bytes_;
}

void Connection::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "exec failed";
    sqlite3_free(err);
    throw StoreError(msg);
  }
}

Statement Connection::Prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
      Fail(db_, "prepare");
    it = cache_.emplace(sql, stmt).first;
  }
  return Statement(db_, it->second);
}

}  // namespace twostep::sqlite
