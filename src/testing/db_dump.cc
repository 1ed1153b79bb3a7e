#include "testing/db_dump.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace twostep::testing {

namespace {

std::vector<std::vector<std::string>> Rows(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
    throw std::runtime_error(sqlite3_errmsg(db));
  std::vector<std::vector<std::string>> rows;
  while (sqlite3_step(st) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < sqlite3_column_count(st); ++i) {
      const unsigned char* v = sqlite3_column_text(st, i);
      row.push_back(v ? reinterpret_cast<const char*>(v) : "NULL");
    }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(st);
  return rows;
}

std::string Format(const std::string& table, std::vector<std::vector<std::string>> rows) {
  // Sorted: the dump does not depend on the order rows are read in.
  std::sort(rows.begin(), rows.end());
  std::string out = "== " + table + "\n";
  for (const auto& row : rows) {
    for (const auto& v : row) out += v + "|";
    out += "\n";
  }
  return out;
}

class PgConnection {
 public:
  explicit PgConnection(const std::string& url) : c_(PQconnectdb(url.c_str())) {
    if (PQstatus(c_) != CONNECTION_OK) {
      std::string m = PQerrorMessage(c_);
      PQfinish(c_);
      throw std::runtime_error("cannot connect: " + m);
    }
  }
  ~PgConnection() { PQfinish(c_); }
  std::vector<std::vector<std::string>> Rows(const std::string& sql) {
    PGresult* r = PQexec(c_, sql.c_str());
    if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK) {
      std::string m = PQresultErrorMessage(r);
      PQclear(r);
      throw std::runtime_error(m);
    }
    std::vector<std::vector<std::string>> rows(static_cast<size_t>(PQntuples(r)));
    for (int i = 0; i < PQntuples(r); ++i)
      for (int j = 0; j < PQnfields(r); ++j)
        rows[i].push_back(PQgetisnull(r, i, j) ? "NULL" : PQgetvalue(r, i, j));
    PQclear(r);
    return rows;
  }
  std::vector<std::string> Tables() {
    std::vector<std::string> names;
    for (auto& row : Rows("SELECT table_name FROM information_schema.tables"
                          " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                          " AND table_name <> 'schema_migrations' ORDER BY 1"))
      names.push_back(row[0]);
    return names;
  }

 private:
  PGconn* c_;
};

}  // namespace

std::string DumpPostgres(const std::string& url) {
  PgConnection c(url);
  std::string out;
  for (const auto& table : c.Tables()) out += Format(table, c.Rows("SELECT * FROM \"" + table + "\""));
  return out;
}

void EmptyPostgres(const std::string& url) {
  PgConnection c(url);
  std::string list;
  for (const auto& table : c.Tables()) list += (list.empty() ? "\"" : ", \"") + table + "\"";
  if (!list.empty()) c.Rows("TRUNCATE " + list + " RESTART IDENTITY CASCADE");
}

std::string DumpSqlite(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + path);
  }
  std::string out;
  for (const auto& table :
       Rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name <> 'schema_migrations' ORDER BY name")) {
    out += Format(table[0], Rows(db, "SELECT * FROM \"" + table[0] + "\""));
  }
  sqlite3_close(db);
  return out;
}

}  // namespace twostep::testing
