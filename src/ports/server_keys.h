// ServerKeys: the secrets of this service: the HMAC key for verification
// codes and the AEAD key that seals open codes. Loaded at start by
// adapters/sodium/server_keys_file.h from the file `security.keys_file` names
// (created 0600 at first start; the same file for every instance).
#pragma once

#include <string>

namespace twostep {

struct ServerKeys {
  std::string code_hmac_key;  // 32 bytes
  std::string seal_key;       // 32 bytes (crypto_aead_xchacha20poly1305_ietf)
};

}  // namespace twostep
