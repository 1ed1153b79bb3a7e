#include "app/open_store.h"

#include <filesystem>

#include "adapters/postgres/pg_store.h"
#include "adapters/sqlite/sqlite_store.h"

namespace twostep::app {

std::unique_ptr<Store> OpenStore(const Config& config, const ServerKeys& keys, const Clock& clock,
                                 StoreUser user) {
  const std::string& url = config.database.url;
  if (IsPostgresUrl(url)) {
    pg::PgSettings settings;
    settings.url = url;
    settings.pool_size = config.database.pool_size;
    std::vector<std::string> accepted;
    for (const auto& [id, pair] : keys.others) accepted.push_back(id);
    return std::make_unique<pg::PgStore>(settings, keys.key_id, accepted);
  }
  constexpr std::string_view kSqlite = "sqlite:";
  if (url.rfind(kSqlite, 0) == 0) {
    std::string path = url.substr(kSqlite.size());
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    auto store = std::make_unique<sqlite::SqliteStore>(path);
    // The embedded store belongs to this one process: mail leased by a
    // previous run that was killed is due again now.
    if (user == StoreUser::kServer) store->ReleaseMailLeases(clock.Now());
    return store;
  }
  throw std::runtime_error(
      "database.url: unsupported scheme (use sqlite:PATH or postgresql://user:pass@host:port/db)");
}

}  // namespace twostep::app
