// Fresh private keys as PEM files, as an operator makes them with
// `openssl genpkey` (tests of DKIM signing and `twostepd mail-dns`).
#pragma once

#include <string>

namespace twostep::testing {

enum class KeyType { kRsa2048, kEd25519 };

// Writes a new key of `type` to `<dir>/<name>`; returns the path.
std::string WritePrivateKeyPem(const std::string& dir, KeyType type, const std::string& name);

}  // namespace twostep::testing
