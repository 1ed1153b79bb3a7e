#include "domain/digests.h"

#include <sodium.h>

namespace twostep::domain {

namespace {
std::string ToHex(const unsigned char* data, size_t n) {
  std::string hex(n * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), data, n);
  hex.resize(n * 2);
  return hex;
}
const unsigned char* U(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
}  // namespace

std::string HashCode(std::string_view key, std::string_view context, const Secret& code) {
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, U(key), key.size());
  crypto_auth_hmacsha256_update(&st, U(context), context.size());
  const unsigned char sep = 0;
  crypto_auth_hmacsha256_update(&st, &sep, 1);
  crypto_auth_hmacsha256_update(&st, U(code.Reveal()), code.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&st, mac);
  return ToHex(mac, sizeof mac);
}

bool CodeMatches(std::string_view key, std::string_view context, const Secret& code,
                 std::string_view stored_hash) {
  return ConstantTimeEquals(HashCode(key, context, code), stored_hash);
}

std::string HashToken(std::string_view token) {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, U(token), token.size());
  return ToHex(out, sizeof out);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace twostep::domain
