// Sealing an open code (SPEC §2): while an app-channel challenge is open its
// code is kept encrypted (XChaCha20-Poly1305 under a server key, the
// challenge id as associated data) so that a trusted device that was offline
// can fetch it; the sealed copy is wiped when the challenge ends.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/secret.h"
#include "base/random.h"

namespace twostep::domain {

// base64(nonce || ciphertext).
std::string SealCode(std::string_view key, std::string_view challenge_id, const Secret& code,
                     Random& random);
// nullopt when the box was tampered with or belongs to another challenge.
std::optional<Secret> OpenCode(std::string_view key, std::string_view challenge_id,
                               std::string_view sealed);

}  // namespace twostep::domain
