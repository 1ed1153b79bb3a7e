// A thin RAII layer over one libpq connection, shaped like the SQLite one
// (adapters/sqlite/sqlite_connection.h) so the row codec serves both:
// statements are prepared once per connection (named after the address of
// their SQL constant), parameters and results travel as text.
//
// Errors throw StoreError built from the SQLSTATE and PostgreSQL's primary
// message only: the DETAIL part can quote row values (a duplicate key names
// the email), so it never reaches an exception or a log. Deadlocks and
// serialisation failures throw StoreConflict (the use case may run again).
// Not thread-safe: one connection is used by one thread at a time.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct pg_conn;
struct pg_result;

namespace twostep::pg {

class Connection;

// libpq connection parameters (keyword, value) that apply unless the URL
// sets the same keyword.
using ConnectionOptions = std::vector<std::pair<const char*, const char*>>;

class Statement {
 public:
  Statement(Connection& conn, const char* sql) : conn_(conn), sql_(sql) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as $1, $2 ... in the SQL.
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, int64_t value);
  Statement& BindNull(int index);
  Statement& Bind(int index, const std::optional<int64_t>& value);

  // Runs on the first call; then true while a row is available.
  bool Step();
  // Runs to completion (for writes).
  void Run();
  int Changes() const;

  std::string Text(int col) const;
  int64_t Int(int col) const;
  bool IsNull(int col) const;

 private:
  void Execute();
  Connection& conn_;
  const char* sql_;
  std::vector<std::optional<std::string>> params_;
  pg_result* result_ = nullptr;
  int row_ = -1;
};

class Connection {
 public:
  // Connects to `url` (a libpq connection URI or key=value string), with
  // `options` where the URL does not say otherwise. Every connection also
  // gives up connecting to one host after kConnectTimeout: a multi-host URL
  // then tries the next, and a request never waits on a dead host for the
  // kernel's TCP timeout. Throws StoreError.
  explicit Connection(const std::string& url, const ConnectionOptions& options = {});
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs SQL text without parameters (BEGIN, COMMIT, migrations).
  void Exec(const char* sql);
  // `sql` must be a string constant: its address names the prepared statement.
  Statement Prepare(const char* sql) { return Statement(*this, sql); }

  // False once the server went away: the pool drops such a connection.
  bool Healthy() const;
  pg_conn* raw() { return conn_; }
  // Requests answered by the server since the last call (PgStore::RoundTrips).
  int64_t TakeRoundTrips() { return std::exchange(round_trips_, 0); }

  // Internal to Statement: prepares once, then executes.
  pg_result* ExecutePrepared(const char* sql, const std::vector<std::optional<std::string>>& params);

 private:
  pg_conn* conn_ = nullptr;
  std::map<const char*, std::string> prepared_;  // SQL constant → statement name
  int64_t round_trips_ = 0;
};

}  // namespace twostep::pg
