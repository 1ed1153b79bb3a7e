#include "testing/db_dump.h"

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

}  // namespace

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
    out += "== " + table[0] + "\n";
    // Sorted: the dump does not depend on the order rows are read in.
    auto rows = Rows(db, "SELECT * FROM \"" + table[0] + "\"");
    std::sort(rows.begin(), rows.end());
    for (const auto& row : rows) {
      for (const auto& v : row) out += v + "|";
      out += "\n";
    }
  }
  sqlite3_close(db);
  return out;
}

}  // namespace twostep::testing
