// Every row of every table of a SQLite file as text, in a stable order:
// two dumps are equal exactly when the committed contents are. For tests
// that check that a failed unit of work left nothing half-written. The
// migrations table is left out (it records when, by the wall clock, each
// migration ran).
#pragma once

#include <string>

namespace twostep::testing {

std::string DumpSqlite(const std::string& path);

}  // namespace twostep::testing
