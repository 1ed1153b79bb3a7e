#include "domain/random_values.h"

#include <array>
#include <cstring>

#include <sodium.h>

namespace twostep::domain {

std::string RandomBytes(Random& random, size_t n) {
  std::string out(n, '\0');
  random.Fill(std::as_writable_bytes(std::span(out.data(), out.size())));
  return out;
}

Secret GenerateToken(Random& random) {
  std::string raw = RandomBytes(random, 32);
  std::string b64(sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(b64.data(), b64.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(raw.data(), raw.size());
  b64.resize(std::strlen(b64.c_str()));
  return Secret(std::move(b64));
}

std::string GenerateId(Random& random, std::string_view prefix) {
  std::string raw = RandomBytes(random, 16);
  std::string hex(33, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                 raw.size());
  hex.resize(32);
  return std::string(prefix) + "_" + hex;
}

uint32_t UniformBelow(Random& random, uint32_t bound) {
  // Accept only values below the largest multiple of `bound` that fits in
  // 2^32, so every residue is equally likely.
  const uint32_t limit = static_cast<uint32_t>((uint64_t{1} << 32) - ((uint64_t{1} << 32) % bound));
  while (true) {
    std::array<std::byte, 4> b;
    random.Fill(b);
    uint32_t v;
    std::memcpy(&v, b.data(), 4);
    if (v < limit) return v % bound;
  }
}

Secret GenerateCode(Random& random, int digits) {
  uint32_t bound = 1;
  for (int i = 0; i < digits; ++i) bound *= 10;
  uint32_t value = UniformBelow(random, bound);
  std::string code(static_cast<size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i) {
    code[static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return Secret(std::move(code));
}

}  // namespace twostep::domain
