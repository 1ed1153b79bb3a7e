#include "adapters/push/jwt.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <boost/json.hpp>
#include <sodium.h>

namespace twostep::push {

namespace {

constexpr size_t kEs256Half = 32;

std::string ToJoseEs256(const unsigned char* der, size_t der_len) {
  const unsigned char* p = der;
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_len));
  if (!sig) throw KeyError("ES256: OpenSSL returned an unreadable signature");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig, &r, &s);
  std::string out(2 * kEs256Half, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  const bool ok = BN_bn2binpad(r, bytes, kEs256Half) == kEs256Half &&
                  BN_bn2binpad(s, bytes + kEs256Half, kEs256Half) == kEs256Half;
  ECDSA_SIG_free(sig);
  if (!ok) throw KeyError("ES256: signature does not fit P-256");
  return out;
}

void CheckKeyType(EVP_PKEY* key, JwtAlgorithm alg, const std::string& where) {
  if (alg == JwtAlgorithm::kRs256) {
    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA)
      throw KeyError(where + ": not an RSA private key (FCM service accounts use RSA)");
    if (EVP_PKEY_get_bits(key) < 2048) throw KeyError(where + ": RSA key shorter than 2048 bits");
    return;
  }
  char group[64] = {};
  size_t len = 0;
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC ||
      !EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof group, &len) ||
      std::string_view(group, len) != "prime256v1")
    throw KeyError(where + ": not a P-256 EC private key (APNs .p8 keys are P-256)");
}

}  // namespace

std::shared_ptr<const SigningKey> SigningKey::FromPem(std::string_view pem, JwtAlgorithm alg,
                                                      const std::string& where) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (!bio) throw KeyError(where + ": out of memory");
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!key) throw KeyError(where + ": no PEM private key in it");
  try {
    CheckKeyType(key, alg, where);
  } catch (...) {
    EVP_PKEY_free(key);
    throw;
  }
  return std::shared_ptr<const SigningKey>(new SigningKey(key, alg));
}

SigningKey::~SigningKey() { EVP_PKEY_free(key_); }

std::string SigningKey::Sign(std::string_view input) const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (!ctx) throw KeyError("JWT: out of memory");
  size_t len = 0;
  std::string sig;
  bool ok = EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key_) == 1 &&
            EVP_DigestSign(ctx, nullptr, &len,
                           reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  if (ok) {
    sig.resize(len);
    ok = EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                        reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
    sig.resize(len);
  }
  EVP_MD_CTX_free(ctx);
  if (!ok) throw KeyError("JWT: OpenSSL could not sign");
  if (alg_ == JwtAlgorithm::kEs256)
    return ToJoseEs256(reinterpret_cast<const unsigned char*>(sig.data()), sig.size());
  return sig;
}

std::string Base64Url(std::string_view bytes) {
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::string SignJwt(const SigningKey& key, boost::json::object header,
                    const boost::json::object& claims) {
  header["alg"] = key.algorithm() == JwtAlgorithm::kRs256 ? "RS256" : "ES256";
  header["typ"] = "JWT";
  std::string input = Base64Url(boost::json::serialize(header)) + "." +
                      Base64Url(boost::json::serialize(claims));
  const std::string sig = key.Sign(input);
  return input + "." + Base64Url(sig);
}

}  // namespace twostep::push
