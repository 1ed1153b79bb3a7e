// ServerKeys: the secrets of this service: the HMAC key for verification
// codes and the AEAD key that seals open codes. Loaded at start by
// adapters/sodium/server_keys_file.h from the file `security.keys_file` names
// (created 0600 at first start; the same file for every instance).
//
// Rotation (SPEC §4, docs/OPERATIONS.md "Server keys"): the pair above makes
// every new code; `others` are pairs loaded from `security.extra_keys_files`
// (the previous pair after a rotation, or the next one while it is being
// handed to every instance), which still check and open the codes of the
// challenges they made. Each challenge records the id of its pair, so every
// instance on one database picks the same pair for it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace twostep {

struct KeyPair {
  std::string code_hmac_key;  // 32 bytes
  std::string seal_key;       // 32 bytes (crypto_aead_xchacha20poly1305_ietf)
};

struct ServerKeys {
  std::string code_hmac_key;  // 32 bytes
  std::string seal_key;       // 32 bytes (crypto_aead_xchacha20poly1305_ietf)
  // Public id of the pair above (KeyFingerprint); recorded on each challenge.
  std::string key_id;
  // Other pairs still accepted, by id.
  std::map<std::string, KeyPair> others;

  // The pair that made a challenge's code: this one for its id or an empty
  // id (a challenge from before ids were recorded), one of `others`, or
  // nullopt when that pair is no longer kept (its codes check nothing).
  std::optional<KeyPair> ForKeyId(const std::string& id) const {
    if (id.empty() || id == key_id) return KeyPair{code_hmac_key, seal_key};
    auto it = others.find(id);
    if (it == others.end()) return std::nullopt;
    return it->second;
  }
};

class Transaction;

// The keys in force, which `twostepd keys rotate` and a reload change while
// the server runs (issue #22; app/key_ring.h). Thread-safe.
class KeyRing {
 public:
  virtual ~KeyRing() = default;
  // The keys now: the pair that makes new codes and every pair kept.
  // Never null; immutable (a change publishes a new one).
  virtual std::shared_ptr<const ServerKeys> Current() const = 0;
  // The pair that made a challenge's code (ServerKeys::ForKeyId). An id
  // this instance does not know yet (another instance already makes codes
  // with a generation rotated in since this one loaded its keys) is looked
  // up in the generations `tx` sees, which this instance then adopts.
  virtual std::optional<KeyPair> Find(Transaction& tx, const std::string& key_id) const = 0;
};


}  // namespace twostep
