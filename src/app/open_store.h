// The store of a configuration (database.url): SQLite or PostgreSQL. Used
// by the server and by `twostepd keys rotate`.
#pragma once

#include <memory>

#include "app/config.h"
#include "ports/clock.h"
#include "ports/server_keys.h"
#include "ports/store.h"

namespace twostep::app {

// Who opens the store: the server owns an SQLite file (mail leased by a
// previous run that was killed is due again at once); a tool run beside a
// running server must not release the server's leases.
enum class StoreUser { kServer, kTool };

// Opens (creates, migrates) the store. On PostgreSQL the server-key
// fingerprint of the key files is checked against the other instances'
// (pg::PgStore). Throws StoreError, or std::runtime_error for a URL of
// another scheme.
std::unique_ptr<Store> OpenStore(const Config& config, const ServerKeys& keys, const Clock& clock,
                                 StoreUser user);

}  // namespace twostep::app
