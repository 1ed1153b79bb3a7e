// Key file for ServerKeys: `<data_dir>/server.key` (mode 0600, created at
// first start) so every process on one data_dir agrees; PostgreSQL
// deployments give the same file to every instance.
#pragma once

#include <string>

#include "ports/server_keys.h"

namespace twostep {

// Loads the key file, or creates it with fresh random keys when missing.
// Throws std::runtime_error (without key material) on a malformed file or
// one readable by group/others.
ServerKeys LoadOrCreateServerKeys(const std::string& path);

// A short public fingerprint of the keys (keyed BLAKE2b of a constant, hex):
// instances sharing a database compare it to find a mismatched key file
// without revealing the keys.
std::string KeyFingerprint(const ServerKeys& keys);

}  // namespace twostep
