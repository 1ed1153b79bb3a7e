#include "adapters/sodium/argon2_hasher.h"

#include <stdexcept>

#include <sodium.h>

namespace twostep {

Argon2Hasher::Argon2Hasher(uint64_t iterations, size_t memory_kib)
    : opslimit_(iterations), memlimit_(memory_kib * 1024) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string Argon2Hasher::Hash(const Secret& password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.Reveal().data(), password.size(), opslimit_, memlimit_,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("password hashing ran out of memory");
  return std::string(out);
}

bool Argon2Hasher::Verify(const std::string& encoded_hash, const Secret& password) {
  return crypto_pwhash_str_verify(encoded_hash.c_str(), password.Reveal().data(),
                                  password.size()) == 0;
}

bool Argon2Hasher::NeedsRehash(const std::string& encoded_hash) {
  return crypto_pwhash_str_needs_rehash(encoded_hash.c_str(), opslimit_, memlimit_) != 0;
}

}  // namespace twostep
