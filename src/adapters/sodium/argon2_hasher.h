// Argon2Hasher: Argon2id through libsodium's crypto_pwhash_str (encoded
// string with parameters and salt). Thread-safe; each call allocates
// `memory_kib` KiB, so the caller bounds concurrency (the hashing pool).
#pragma once

#include <cstddef>
#include <cstdint>

#include "ports/password_hasher.h"

namespace twostep {

class Argon2Hasher : public PasswordHasher {
 public:
  Argon2Hasher(uint64_t iterations, size_t memory_kib);
  std::string Hash(const Secret& password) override;
  bool Verify(const std::string& encoded_hash, const Secret& password) override;
  bool NeedsRehash(const std::string& encoded_hash) override;

 private:
  unsigned long long opslimit_;
  size_t memlimit_;
};

}  // namespace twostep
