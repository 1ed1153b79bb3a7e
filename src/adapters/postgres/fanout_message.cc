#include "adapters/postgres/fanout_message.h"

#include <cstring>
#include <span>
#include <vector>

#include <boost/json.hpp>
#include <sodium.h>

namespace twostep::pg {

namespace json = boost::json;

namespace {

constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr std::string_view kTypes[] = {"verification_code", "challenge_resolved", "signed_out"};
constexpr std::string_view kLabel = "twostep fan-out v1";
// crypto_kdf: an 8-byte context and a subkey id of this use.
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "tsfanout";
constexpr uint64_t kKdfSubkeyId = 1;
// A code is a few digits; the byte that carries its length bounds it.
constexpr size_t kMaxCode = 64;

const unsigned char* U(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

std::string_view TypeName(Notification::Type t) { return kTypes[static_cast<int>(t)]; }

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

int64_t Int(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->as_int64() : 0;
}

json::object Body(const Notification& n) {
  json::object o{{"challenge_id", n.challenge_id}, {"outcome", n.outcome}, {"reason", n.reason},
                 {"family", n.family_id}};
  if (n.type != Notification::Type::kVerificationCode) return o;
  o["expires_in"] = n.expires_in.count();
  o["requested_at"] = ToMillis(n.requested_at);
  const auto& r = n.requester;
  o["requester"] = json::object{{"id", r.id},   {"name", r.name}, {"model", r.model},
                                {"os", r.os},   {"app", r.app},   {"app_version", r.app_version}};
  o["ip"] = n.requester_ip;
  if (n.requester_location) {
    const auto& l = *n.requester_location;
    o["location"] = json::object{{"city", l.city}, {"region", l.region}, {"country", l.country},
                                 {"country_code", l.country_code}};
  }
  return o;
}

void ReadBody(const json::object& o, Notification& n) {
  n.challenge_id = Str(o, "challenge_id");
  n.outcome = Str(o, "outcome");
  n.reason = Str(o, "reason");
  n.family_id = Str(o, "family");
  if (n.type != Notification::Type::kVerificationCode) return;
  n.expires_in = seconds(Int(o, "expires_in"));
  n.requested_at = FromMillis(Int(o, "requested_at"));
  if (auto* r = o.if_contains("requester"); r && r->is_object()) {
    const auto& ro = r->as_object();
    n.requester = {Str(ro, "id"), Str(ro, "name"), Str(ro, "model"),
                   Str(ro, "os"), Str(ro, "app"),  Str(ro, "app_version")};
  }
  n.requester_ip = Str(o, "ip");
  if (auto* l = o.if_contains("location"); l && l->is_object()) {
    const auto& lo = l->as_object();
    n.requester_location = Location{Str(lo, "city"), Str(lo, "region"), Str(lo, "country"),
                                    Str(lo, "country_code")};
  }
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
  const std::string_view type = TypeName(n.type);
  // Plaintext: one byte with the code's length, the code, the body JSON.
  const std::string_view code = n.code ? n.code->Reveal() : std::string_view();
  if (code.size() > kMaxCode) throw std::invalid_argument("fan-out: code too long");
  std::string plain(1, static_cast<char>(code.size()));
  plain.append(code);
  plain.append(json::serialize(Body(n)));
  const std::string ad = AssociatedData(e, type);
  std::vector<unsigned char> box(kNonce + plain.size() + kTag);
  random.Fill(std::as_writable_bytes(std::span(box.data(), kNonce)));
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(box.data() + kNonce, &len, U(plain), plain.size(),
                                             U(ad), ad.size(), nullptr, box.data(), U(key));
  sodium_memzero(plain.data(), plain.size());
  json::object o{{"v", 1},
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
  if (!version || !version->is_int64() || version->as_int64() != 1 || !sent_at ||
      !sent_at->is_int64())
    return std::nullopt;
  FanoutMessage m;
  m.envelope = {Str(o, "origin"), Str(o, "account"), Str(o, "device"), Str(o, "id"),
                sent_at->as_int64()};
  const std::string type = Str(o, "type");
  int t = 0;
  while (t < 3 && kTypes[t] != type) ++t;
  if (t == 3 || m.envelope.origin.empty() || m.envelope.account_id.empty() ||
      m.envelope.device_id.empty() || m.envelope.message_id.empty())
    return std::nullopt;
  m.notification.type = static_cast<Notification::Type>(t);

  const std::string b64 = Str(o, "box");
  std::vector<unsigned char> box(b64.size());
  size_t box_len = 0;
  if (b64.empty() ||
      sodium_base642bin(box.data(), box.size(), b64.data(), b64.size(), nullptr, &box_len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      box_len < kNonce + kTag + 1)
    return std::nullopt;
  const std::string ad = AssociatedData(m.envelope, type);
  std::string plain(box_len - kNonce - kTag, '\0');
  unsigned long long plain_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &plain_len, nullptr, box.data() + kNonce,
          box_len - kNonce, U(ad), ad.size(), box.data(), U(key)) != 0)
    return std::nullopt;  // forged, altered, or sealed under another key
  plain.resize(plain_len);
  const size_t code_len = static_cast<unsigned char>(plain[0]);
  std::optional<FanoutMessage> out;
  if (1 + code_len <= plain.size()) {
    json::value body = json::parse(std::string_view(plain).substr(1 + code_len), ec);
    const bool is_code = m.notification.type == Notification::Type::kVerificationCode;
    if (!ec && body.is_object() && (code_len > 0) == is_code) {
      ReadBody(body.as_object(), m.notification);
      if (is_code) m.notification.code = Secret(plain.substr(1, code_len));
      out = std::move(m);
    }
  }
  sodium_memzero(plain.data(), plain.size());
  return out;
}

}  // namespace twostep::pg
