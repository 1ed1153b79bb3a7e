// Versioned schema migrations for SQLite, applied in order at start, each in
// its own transaction together with its row in schema_migrations.
#pragma once

namespace twostep::sqlite {

class Connection;

// Applies every migration newer than the database's version. Throws
// StoreError when the database is newer than this binary knows.
void Migrate(Connection& db);

// The newest schema version this binary knows.
int LatestSchemaVersion();

}  // namespace twostep::sqlite
