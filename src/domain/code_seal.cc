#include "domain/code_seal.h"

#include <cstring>
#include <vector>

#include <sodium.h>

namespace twostep::domain {

namespace {
constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
const unsigned char* U(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
}  // namespace

std::string SealCode(std::string_view key, std::string_view challenge_id, const Secret& code,
                     Random& random) {
  std::vector<unsigned char> box(kNonce + code.size() + kTag);
  random.Fill(std::as_writable_bytes(std::span(box.data(), kNonce)));
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(box.data() + kNonce, &len, U(code.Reveal()),
                                             code.size(), U(challenge_id), challenge_id.size(),
                                             nullptr, box.data(), U(key));
  std::string b64(sodium_base64_ENCODED_LEN(box.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), box.data(), box.size(), sodium_base64_VARIANT_ORIGINAL);
  b64.resize(std::strlen(b64.c_str()));
  return b64;
}

std::optional<Secret> OpenCode(std::string_view key, std::string_view challenge_id,
                               std::string_view sealed) {
  std::vector<unsigned char> box(sealed.size());
  size_t len = 0;
  if (sealed.empty() ||
      sodium_base642bin(box.data(), box.size(), sealed.data(), sealed.size(), nullptr, &len,
                        nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len < kNonce + kTag)
    return std::nullopt;
  std::string plain(len - kNonce - kTag, '\0');
  unsigned long long plain_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &plain_len, nullptr, box.data() + kNonce,
          len - kNonce, U(challenge_id), challenge_id.size(), box.data(), U(key)) != 0)
    return std::nullopt;
  plain.resize(plain_len);
  return Secret(std::move(plain));
}

}  // namespace twostep::domain
