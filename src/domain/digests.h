// Keyed and plain digests for what is stored instead of a secret:
// verification codes as HMAC-SHA-256 under a server key (a stolen database
// alone cannot brute-force 10^6 codes offline), tokens as SHA-256 (they
// already carry 256 bits of entropy).
#pragma once

#include <string>
#include <string_view>

#include "base/secret.h"

namespace twostep::domain {

// Hex HMAC-SHA-256(key, context || 0x00 || code). The context (challenge id)
// binds a code to its challenge: a code for one challenge never verifies
// another.
std::string HashCode(std::string_view key, std::string_view context, const Secret& code);

// Constant-time check of `code` against a stored HashCode value.
bool CodeMatches(std::string_view key, std::string_view context, const Secret& code,
                 std::string_view stored_hash);

// Hex SHA-256 of a token.
std::string HashToken(std::string_view token);

// Constant-time equality of two strings of equal length.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace twostep::domain
