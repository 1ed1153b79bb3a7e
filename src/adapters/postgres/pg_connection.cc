#include "adapters/postgres/pg_connection.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstring>

#include "ports/store.h"

namespace twostep::pg {

namespace {
// 40001 serialization_failure, 40P01 deadlock_detected: the transaction was
// rolled back as a whole and nothing of it happened.
bool IsConflict(std::string_view sqlstate) { return sqlstate == "40001" || sqlstate == "40P01"; }

// The shared queries number their parameters ?1, ?2 ... (sql/queries.h);
// PostgreSQL's are $1, $2 ... No query has a '?' anywhere else.
std::string Dollars(const char* sql) {
  std::string out(sql);
  for (size_t i = 0; i + 1 < out.size(); ++i)
    if (out[i] == '?' && out[i + 1] >= '0' && out[i + 1] <= '9') out[i] = '$';
  return out;
}
// Throws the StoreError (or StoreConflict) that `result` describes, and
// frees it. `what` says which step failed.
[[noreturn]] void ThrowResultError(PGconn* conn, PGresult* result, std::string_view what) {
  std::string sqlstate;
  std::string message;
  if (result) {
    if (const char* s = PQresultErrorField(result, PG_DIAG_SQLSTATE)) sqlstate = s;
    if (const char* m = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY)) message = m;
    PQclear(result);
  }
  if (message.empty() && conn) {
    // Connection-level failures carry no fields; libpq's own text is about
    // the connection, never about row values.
    message = PQerrorMessage(conn);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  }
  std::string text = std::string(what) + ": " + (sqlstate.empty() ? "" : "[" + sqlstate + "] ") + message;
  if (IsConflict(sqlstate)) throw StoreConflict(text);
  throw StoreError(text);
}

}  // namespace


Connection::Connection(const std::string& url, const ConnectionOptions& options) {
  // Seconds per host (libpq's connect_timeout); a URL may set its own.
  constexpr const char* kConnectTimeout = "5";
  // Keywords before "dbname" are overridden by what the expanded URL sets.
  std::vector<const char*> keywords{"connect_timeout"};
  std::vector<const char*> values{kConnectTimeout};
  for (const auto& [k, v] : options) {
    keywords.push_back(k);
    values.push_back(v);
  }
  keywords.push_back("dbname");
  values.push_back(url.c_str());
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  conn_ = PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/1);
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn_);
    PQfinish(conn_);
    conn_ = nullptr;
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    // libpq's message names host and port, never the password.
    throw StoreError("postgresql connect: " + message);
  }
  // Times are stored as milliseconds, so the session's zone does not matter;
  // quiet notices (e.g. "relation already exists, skipping") stay off stderr.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
}

Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

bool Connection::Healthy() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }

void Connection::Exec(const char* sql) {
  ++round_trips_;
  PGresult* r = PQexec(conn_, sql);
  auto status = PQresultStatus(r);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) ThrowResultError(conn_, r, "postgresql");
  PQclear(r);
}

PGresult* Connection::ExecutePrepared(const char* sql,
                                      const std::vector<std::optional<std::string>>& params) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = "s" + std::to_string(prepared_.size());
    ++round_trips_;
    PGresult* r = PQprepare(conn_, name.c_str(), Dollars(sql).c_str(), 0, nullptr);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) ThrowResultError(conn_, r, "postgresql prepare");
    PQclear(r);
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  std::vector<const char*> values(params.size());
  for (size_t i = 0; i < params.size(); ++i) values[i] = params[i] ? params[i]->c_str() : nullptr;
  ++round_trips_;
  PGresult* r = PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(values.size()),
                               values.data(), nullptr, nullptr, 0);
  auto status = PQresultStatus(r);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) ThrowResultError(conn_, r, "postgresql");
  return r;
}

Statement::~Statement() {
  if (result_) PQclear(result_);
}

Statement& Statement::Bind(int index, std::string_view text) {
  if (params_.size() < static_cast<size_t>(index)) params_.resize(index);
  params_[index - 1] = std::string(text);
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) { return Bind(index, std::to_string(value)); }

Statement& Statement::BindNull(int index) {
  if (params_.size() < static_cast<size_t>(index)) params_.resize(index);
  params_[index - 1].reset();
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<int64_t>& value) {
  return value ? Bind(index, *value) : BindNull(index);
}

void Statement::Execute() {
  if (result_) PQclear(result_);
  result_ = conn_.ExecutePrepared(sql_, params_);
  row_ = -1;
}

bool Statement::Step() {
  if (!result_) Execute();
  ++row_;
  return row_ < PQntuples(result_);
}

void Statement::Run() { Execute(); }

int Statement::Changes() const {
  const char* n = result_ ? PQcmdTuples(result_) : "";
  return n && *n ? std::atoi(n) : 0;
}

std::string Statement::Text(int col) const {
  return std::string(PQgetvalue(result_, row_, col), PQgetlength(result_, row_, col));
}

int64_t Statement::Int(int col) const {
  const char* v = PQgetvalue(result_, row_, col);
  int64_t out = 0;
  std::from_chars(v, v + std::strlen(v), out);
  return out;
}

bool Statement::IsNull(int col) const { return PQgetisnull(result_, row_, col) != 0; }

}  // namespace twostep::pg
