// The schema of both stores, written once (schema.cc): each dialect names
// the few words in which SQLite and PostgreSQL differ.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace twostep::sql {

struct Dialect {
  std::string_view time;        // a time column: integer ms since the epoch
  std::string_view serial_pk;   // an increasing integer primary key
  std::string_view add_column;  // ALTER TABLE ... <this> name type
};

inline constexpr Dialect kSqliteDialect{"INTEGER", "INTEGER PRIMARY KEY AUTOINCREMENT", "ADD COLUMN"};
inline constexpr Dialect kPostgresDialect{
    "BIGINT", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "ADD COLUMN IF NOT EXISTS"};

// The migrations, oldest first, in the dialect's words.
std::vector<std::string> Migrations(const Dialect& dialect);

}  // namespace twostep::sql
