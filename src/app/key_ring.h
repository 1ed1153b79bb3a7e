// LiveKeyRing: the server keys of a running instance (issue #22). The key
// files (security.keys_file, extra_keys_files) are read at start; the
// generations `twostepd keys rotate` puts in the store are read at start,
// at each reload (SIGHUP), and whenever a challenge names a pair this
// instance does not know yet, so an instance that has not reloaded still
// checks the codes that the others make with the new generation (and then
// makes its own with it too). Thread-safe.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/live_value.h"
#include "ports/server_keys.h"
#include "ports/store.h"

namespace twostep::app {

class LiveKeyRing : public KeyRing {
 public:
  // `files`: LoadServerKeys of the key files; `store`: where the
  // generations are (read now; throws StoreError as a start would).
  LiveKeyRing(ServerKeys files, Store& store);

  std::shared_ptr<const ServerKeys> Current() const override { return ring_.Get(); }
  std::optional<KeyPair> Find(Transaction& tx, const std::string& key_id) const override;

  // Reads the generations again (a reload); logs `keys_loaded` with the id
  // that now makes codes (a public fingerprint, never a key).
  void Reload();

 private:
  // Publishes the ring of `generations` unless a newer one is in force
  // (two readers with different snapshots must not step back).
  void Adopt(const std::vector<StoredKeyGeneration>& generations) const;

  const ServerKeys files_;
  Store& store_;
  mutable std::mutex adopt_mutex_;
  mutable std::optional<Timestamp> newest_;  // GUARDED_BY(adopt_mutex_)
  mutable LiveValue<ServerKeys> ring_;
};

}  // namespace twostep::app
