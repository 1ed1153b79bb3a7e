// Random values built from the Random port: bytes, opaque tokens and ids,
// and 6-digit codes. Pure given the Random source, so tests can script it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/secret.h"
#include "base/random.h"

namespace twostep::domain {

std::string RandomBytes(Random& random, size_t n);

// 256-bit token, base64url without padding (43 characters).
Secret GenerateToken(Random& random);

// 128-bit id with a readable prefix, e.g. "acc_3f2a...": hex, 32 digits.
std::string GenerateId(Random& random, std::string_view prefix);

// A uniform integer in [0, bound) by rejection sampling (no modulo bias).
uint32_t UniformBelow(Random& random, uint32_t bound);

// `digits` decimal digits, each position uniform (default 6: "000000"-"999999").
Secret GenerateCode(Random& random, int digits = 6);

}  // namespace twostep::domain
