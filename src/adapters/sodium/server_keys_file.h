// Key file for ServerKeys: `<data_dir>/server.key` (mode 0600, created at
// first start) so every process on one data_dir agrees; PostgreSQL
// deployments give the same file to every instance.
#pragma once

#include <string>
#include <vector>

#include "ports/server_keys.h"

namespace twostep {

// Loads the key file, or creates it with fresh random keys when missing.
// Throws std::runtime_error (without key material) on a malformed file or
// one readable by group/others. Sets key_id; no `others`.
ServerKeys LoadOrCreateServerKeys(const std::string& path);

// The current pair from `path` (as above) and, as `others`, the pairs of
// `extra_paths` (security.extra_keys_files: the previous pair after a
// rotation, or the next one). An extra file must exist, with the same
// checks; one equal to the current pair is ignored.
ServerKeys LoadServerKeys(const std::string& path, const std::vector<std::string>& extra_paths);

// A short public fingerprint of the keys (keyed BLAKE2b of a constant, hex):
// instances sharing a database compare it to find a mismatched key file
// without revealing the keys.
std::string KeyFingerprint(const ServerKeys& keys);

}  // namespace twostep
