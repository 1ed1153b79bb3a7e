// A thin RAII layer over one sqlite3 connection: prepared statements cached
// per connection, binding and reading columns. Errors throw StoreError with
// SQLite's message (which never contains bound values, so no secret leaks).
// Not thread-safe: one connection is used by one thread at a time (the
// store's pool hands it out).
#pragma once

#include <atomic>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace twostep::sqlite {

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();  // resets and clears bindings for reuse

  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, int64_t value);
  Statement& BindNull(int index);
  Statement& Bind(int index, const std::optional<int64_t>& value);

  // Steps once: true when a row is available.
  bool Step();
  // Runs to completion (for writes).
  void Run();
  int Changes() const;

  std::string Text(int col) const;
  int64_t Int(int col) const;
  bool IsNull(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  // Opens (creating) the file and applies the durability settings:
  // WAL, synchronous=FULL, foreign keys, busy timeout.
  explicit Connection(const std::string& path);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  void Exec(const char* sql);
  // Transaction control through cached statements: sqlite3_exec would parse
  // "BEGIN" and "COMMIT" again for every transaction.
  void Begin() { Prepare("BEGIN").Run(); }
  void Commit() { Prepare("COMMIT").Run(); }
  void Rollback() { Prepare("ROLLBACK").Run(); }
  // `sql` must be a string constant: its address keys the statement cache.
  Statement Prepare(const char* sql);
  // Heap this connection holds: its page cache as of now, plus its schema
  // and prepared statements as of the first call and every
  // kStructureSampleEvery-th after it. SQLite measures those two by walking
  // every table, index and cached statement, which on every return to the
  // pool cost ~10 us of a ~46-us security read (bench/ANALYSIS.md); they
  // stop changing once the connection has prepared its statements, while
  // the page cache follows the data and is cheap to read.
  static constexpr uint32_t kStructureSampleEvery = 256;
  int64_t MemoryBytes();
  // What the store last counted of MemoryBytes() into `*memory_total`
  // (SqliteStore::MemoryUsed); the destructor takes it back out, so a
  // connection dropped after a failure leaves no count behind.
  int64_t counted_bytes = 0;
  std::atomic<int64_t>* memory_total = nullptr;

 private:
  sqlite3* db_ = nullptr;
  uint32_t memory_samples_ = 0;
  int64_t structure_bytes_ = 0;  // schema and statements, last sampled
  std::map<const char*, sqlite3_stmt*> cache_;
};

}  // namespace twostep::sqlite
