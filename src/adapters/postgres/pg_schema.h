// PostgreSQL schema migrations, versioned like the SQLite ones. Several
// twostepd processes may start at once on one database: the migration runs
// in one transaction under a transaction-scoped advisory lock, so exactly one
// applies each version and the others wait, then see it applied.
#pragma once

#include <string>
#include <vector>

namespace twostep::pg {

class Connection;

int LatestSchemaVersion();
// Throws StoreError (also when the database is newer than this binary).
void Migrate(Connection& db);

// Records a fingerprint of the server keys at first start and refuses to run
// with different keys: instances of one service must share them, or codes
// issued by one would not verify on another. Throws StoreError.
void CheckKeyFingerprint(Connection& db, const std::string& fingerprint,
                         const std::vector<std::string>& accepted = {});

}  // namespace twostep::pg
