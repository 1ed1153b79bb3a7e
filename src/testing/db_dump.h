// Every row of every table of a SQLite file or a PostgreSQL database as text, in a stable order:
// two dumps are equal exactly when the committed contents are. For tests
// that check that a failed unit of work left nothing half-written. The
// migrations table is left out (it records when, by the wall clock, each
// migration ran).
#pragma once

#include <string>

namespace twostep::testing {

std::string DumpSqlite(const std::string& path);
// The same of a PostgreSQL database (a libpq URL), values as PostgreSQL's
// text output. Compare dumps of one backend only.
std::string DumpPostgres(const std::string& url);
// Empties every table of a PostgreSQL database but the migrations, with
// its sequences back at their start: a fresh database, without migrating.
void EmptyPostgres(const std::string& url);

}  // namespace twostep::testing
