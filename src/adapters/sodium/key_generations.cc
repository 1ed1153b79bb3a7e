#include "adapters/sodium/key_generations.h"

#include <string_view>

#include <sodium.h>

#include "adapters/sodium/server_keys_file.h"
#include "domain/code_seal.h"

namespace twostep {

namespace {

constexpr size_t kKeyBytes = 32;

// The key that seals generations: derived from the key file's seal key, so
// that it never equals a key that seals codes.
std::string WrapKeyOf(const std::string& seal_key) {
  constexpr std::string_view kLabel = "twostep key generation wrap v1";
  std::string out(kKeyBytes, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(kLabel.data()), kLabel.size(),
                     reinterpret_cast<const unsigned char*>(seal_key.data()), seal_key.size());
  return out;
}

std::optional<KeyPair> OpenWith(const std::string& seal_key, const StoredKeyGeneration& g) {
  std::string wrap = WrapKeyOf(seal_key);
  auto plain = domain::OpenCode(wrap, g.id, g.sealed);  // AEAD; the id is the associated data
  sodium_memzero(wrap.data(), wrap.size());
  if (!plain || plain->size() != 2 * kKeyBytes) return std::nullopt;
  const std::string_view bytes = plain->Reveal();
  ServerKeys pair{std::string(bytes.substr(0, kKeyBytes)), std::string(bytes.substr(kKeyBytes))};
  if (KeyFingerprint(pair) != g.id) return std::nullopt;
  return KeyPair{pair.code_hmac_key, pair.seal_key};
}

}  // namespace

StoredKeyGeneration NewKeyGeneration(const ServerKeys& root, Random& random, Timestamp now) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  ServerKeys pair{std::string(kKeyBytes, '\0'), std::string(kKeyBytes, '\0')};
  randombytes_buf(pair.code_hmac_key.data(), kKeyBytes);
  randombytes_buf(pair.seal_key.data(), kKeyBytes);
  StoredKeyGeneration g{KeyFingerprint(pair), "", now};
  std::string wrap = WrapKeyOf(root.seal_key);
  g.sealed = domain::SealCode(wrap, g.id, Secret(pair.code_hmac_key + pair.seal_key), random);
  sodium_memzero(wrap.data(), wrap.size());
  sodium_memzero(pair.code_hmac_key.data(), kKeyBytes);
  sodium_memzero(pair.seal_key.data(), kKeyBytes);
  return g;
}

std::optional<KeyPair> OpenKeyGeneration(const ServerKeys& root, const StoredKeyGeneration& g) {
  if (auto pair = OpenWith(root.seal_key, g)) return pair;
  for (const auto& [id, other] : root.others)
    if (auto pair = OpenWith(other.seal_key, g)) return pair;
  return std::nullopt;
}

ServerKeys KeyRingOf(const ServerKeys& root, const std::vector<StoredKeyGeneration>& generations) {
  ServerKeys ring = root;
  for (const auto& g : generations) {  // oldest first: the last that opens is current
    auto pair = OpenKeyGeneration(root, g);
    if (!pair || g.id == ring.key_id) continue;
    ring.others[ring.key_id] = {ring.code_hmac_key, ring.seal_key};
    ring.others.erase(g.id);
    ring.code_hmac_key = pair->code_hmac_key;
    ring.seal_key = pair->seal_key;
    ring.key_id = g.id;
  }
  return ring;
}

std::vector<std::string> RetiredGenerations(const std::vector<StoredKeyGeneration>& generations,
                                            Timestamp now) {
  std::vector<std::string> out;
  for (size_t i = 0; i + 1 < generations.size(); ++i)
    if (now - generations[i + 1].created_at > kKeepSupersededGeneration)
      out.push_back(generations[i].id);
  return out;
}

}  // namespace twostep
