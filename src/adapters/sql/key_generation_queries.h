// The SQL of the key-generation verbs (issue #22), the same text for SQLite
// and PostgreSQL. Only `twostepd keys rotate` writes; a reload and an
// instance meeting an id it does not know read.
#pragma once

namespace twostep::sql {

// ?1 id, ?2 sealed (hex), ?3 created_at.
inline constexpr const char* kInsertKeyGeneration =
    "INSERT INTO key_generations(id, sealed, created_at) VALUES (?1, ?2, ?3)";
inline constexpr const char* kListKeyGenerations =
    "SELECT id, sealed, created_at FROM key_generations ORDER BY created_at, id";
inline constexpr const char* kDeleteKeyGeneration = "DELETE FROM key_generations WHERE id = ?1";

}  // namespace twostep::sql
