#include "testing/pem_keys.h"

#include <cstdio>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/pem.h>

namespace twostep::testing {

std::string WritePrivateKeyPem(const std::string& dir, KeyType type, const std::string& name) {
  EVP_PKEY* key = type == KeyType::kRsa2048 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048})
                                            : EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  const std::string path = dir + "/" + name;
  FILE* f = std::fopen(path.c_str(), "w");
  const bool ok = key && f && PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  if (f) std::fclose(f);
  EVP_PKEY_free(key);
  if (!ok) throw std::runtime_error("cannot write a test key to " + path);
  return path;
}

}  // namespace twostep::testing
