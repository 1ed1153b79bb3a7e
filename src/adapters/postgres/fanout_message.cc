#include "adapters/postgres/fanout_message.h"

#include <cstring>
#include <span>
#include <vector>

#include <boost/json.hpp>
#include <sodium.h>

#include "wire/notification_json.h"

namespace twostep::pg {

namespace json = boost::json;

namespace {

constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr std::string_view kLabel = "twostep fan-out v2";
constexpr int64_t kVersion = 2;
// crypto_kdf: an 8-byte context and a subkey id of this use.
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "tsfanout";
constexpr uint64_t kKdfSubkeyId = 1;

const unsigned char* U(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// Length-prefixed members behind a version label: no two different
// envelopes give the same bytes.
std::string AssociatedData(const FanoutEnvelope& e, std::string_view type) {
  std::string ad(kLabel);
  auto put = [&ad](std::string_view s) {
    const uint32_t n = static_cast<uint32_t>(s.size());
    for (int shift = 24; shift >= 0; shift -= 8) ad.push_back(static_cast<char>((n >> shift) & 0xff));
    ad.append(s);
  };
  put(e.origin);
  put(e.account_id);
  put(e.device_id);
  put(type);
  put(e.message_id);
  put(std::to_string(e.sent_at_ms));
  return ad;
}

std::string Str(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::string Base64(const std::vector<unsigned char>& bin) {
  std::string out(sodium_base64_ENCODED_LEN(bin.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bin.data(), bin.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

}  // namespace

std::string FanoutKey(std::string_view seal_key) {
  if (seal_key.size() != crypto_kdf_KEYBYTES) throw std::invalid_argument("seal key: 32 bytes");
  std::string key(crypto_aead_xchacha20poly1305_ietf_KEYBYTES, '\0');
  crypto_kdf_derive_from_key(reinterpret_cast<unsigned char*>(key.data()), key.size(), kKdfSubkeyId,
                             kKdfContext, U(seal_key));
  return key;
}

std::string SealFanoutMessage(std::string_view key, const FanoutEnvelope& e, const Notification& n,
                              Random& random) {
  const std::string_view type = wire::TypeName(n);
  // Plaintext: the notification as the one encoder writes it for another
  // instance (the code of a code request included: it is sealed here).
  std::string plain = json::serialize(wire::EncodeNotification(n, wire::Audience::kRelay));
  const std::string ad = AssociatedData(e, type);
  std::vector<unsigned char> box(kNonce + plain.size() + kTag);
  random.Fill(std::as_writable_bytes(std::span(box.data(), kNonce)));
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(box.data() + kNonce, &len, U(plain), plain.size(),
                                             U(ad), ad.size(), nullptr, box.data(), U(key));
  sodium_memzero(plain.data(), plain.size());
  json::object o{{"v", kVersion},
                 {"origin", e.origin},
                 {"account", e.account_id},
                 {"device", e.device_id},
                 {"type", type},
                 {"id", e.message_id},
                 {"sent_at", e.sent_at_ms},
                 {"box", Base64(box)}};
  return json::serialize(o);
}

std::optional<FanoutMessage> OpenFanoutMessage(std::string_view key, std::string_view payload) {
  boost::system::error_code ec;
  json::value v = json::parse(payload, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  auto* version = o.if_contains("v");
  auto* sent_at = o.if_contains("sent_at");
  if (!version || !version->is_int64() || version->as_int64() != kVersion || !sent_at ||
      !sent_at->is_int64())
    return std::nullopt;
  FanoutMessage m;
  m.envelope = {Str(o, "origin"), Str(o, "account"), Str(o, "device"), Str(o, "id"),
                sent_at->as_int64()};
  const std::string type = Str(o, "type");
  if (type.empty() || m.envelope.origin.empty() || m.envelope.account_id.empty() ||
      m.envelope.device_id.empty() || m.envelope.message_id.empty())
    return std::nullopt;

  const std::string b64 = Str(o, "box");
  std::vector<unsigned char> box(b64.size());
  size_t box_len = 0;
  if (b64.empty() ||
      sodium_base642bin(box.data(), box.size(), b64.data(), b64.size(), nullptr, &box_len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      box_len < kNonce + kTag + 2)
    return std::nullopt;
  const std::string ad = AssociatedData(m.envelope, type);
  std::string plain(box_len - kNonce - kTag, '\0');
  unsigned long long plain_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &plain_len, nullptr, box.data() + kNonce,
          box_len - kNonce, U(ad), ad.size(), box.data(), U(key)) != 0)
    return std::nullopt;  // forged, altered, or sealed under another key
  plain.resize(plain_len);
  json::value body = json::parse(plain, ec);
  sodium_memzero(plain.data(), plain.size());
  if (ec || !body.is_object()) return std::nullopt;
  auto n = wire::DecodeRelayed(body.as_object());
  // The sealed kind must be the one the envelope names (and binds).
  if (!n || wire::TypeName(*n) != type) return std::nullopt;
  return FanoutMessage{std::move(m.envelope), std::move(*n)};
}

}  // namespace twostep::pg
