// PasswordHasher: Argon2id in production (adapters/sodium). Slow on purpose;
// callers run it on the bounded hashing pool, never on an I/O thread.
// Thread-safe.
#pragma once

#include <string>

#include "base/secret.h"

namespace twostep {

class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  // Returns an encoded hash (algorithm, parameters and salt included).
  // Throws std::runtime_error when out of memory.
  virtual std::string Hash(const Secret& password) = 0;
  virtual bool Verify(const std::string& encoded_hash, const Secret& password) = 0;
  // True when the hash was made with other parameters than the current ones.
  virtual bool NeedsRehash(const std::string& encoded_hash) = 0;
};

}  // namespace twostep
