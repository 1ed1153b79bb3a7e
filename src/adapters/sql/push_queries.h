// The SQL of the push-token verbs (issue 20), the same text for SQLite and
// PostgreSQL: none of them reads for update (a registration is one upsert,
// the rest are deletes and one join).
#pragma once

namespace twostep::sql {

// ?1 account, ?2 device, ?3 family, ?4 app, ?5 provider, ?6 token,
// ?7 also_when_live, ?8 registered_at.
inline constexpr const char* kUpsertPushToken =
    "INSERT INTO push_tokens(account_id, device_id, family_id, app, provider, token,"
    " also_when_live, registered_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    " ON CONFLICT(account_id, device_id) DO UPDATE SET family_id = excluded.family_id,"
    " app = excluded.app, provider = excluded.provider, token = excluded.token,"
    " also_when_live = excluded.also_when_live, registered_at = excluded.registered_at";
// A token reaches one app install: registered for another device or
// account, it leaves there (the phone was handed on, the app signed in anew).
inline constexpr const char* kDeletePushTokenElsewhere =
    "DELETE FROM push_tokens WHERE provider = ?1 AND token = ?2"
    " AND NOT (account_id = ?3 AND device_id = ?4)";
inline constexpr const char* kDeletePushToken =
    "DELETE FROM push_tokens WHERE account_id = ?1 AND device_id = ?2";
inline constexpr const char* kForgetPushToken =
    "DELETE FROM push_tokens WHERE provider = ?1 AND token = ?2";
inline constexpr const char* kDeleteFamilyPushTokens =
    "DELETE FROM push_tokens WHERE family_id = ?1";
inline constexpr const char* kDeleteOtherFamiliesPushTokens =
    "DELETE FROM push_tokens WHERE account_id = ?1 AND family_id <> ?2";
// Usable only while the session that registered it is not revoked and
// proves the device as trusted now (its secret hash is the device's).
inline constexpr const char* kSelectPushTarget =
    "SELECT p.family_id, p.app, p.provider, p.token, p.also_when_live, p.registered_at"
    " FROM push_tokens p"
    " JOIN token_families f ON f.id = p.family_id AND f.revoked_at IS NULL"
    " JOIN devices d ON d.account_id = p.account_id AND d.device_id = p.device_id"
    " WHERE p.account_id = ?1 AND p.device_id = ?2 AND d.trusted = 1"
    " AND d.secret_hash <> '' AND d.secret_hash = f.device_secret_hash";

}  // namespace twostep::sql
