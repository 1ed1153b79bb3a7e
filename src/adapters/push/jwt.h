// JSON Web Tokens signed with OpenSSL for the push providers: RS256 for the
// FCM service-account assertion (RFC 7515/7518 RSASSA-PKCS1-v1_5 SHA-256),
// ES256 for the APNs provider token (ECDSA P-256 SHA-256, the signature as
// the 64-byte r‖s JOSE wants, not OpenSSL's DER). No hand-written crypto:
// OpenSSL signs, this file only frames.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

typedef struct evp_pkey_st EVP_PKEY;

namespace twostep::push {

// A key file that cannot be used; the message names the file and what is
// wrong with it, never the key material.
class KeyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class JwtAlgorithm { kRs256, kEs256 };

// A private key loaded from PEM (PKCS#8 "PRIVATE KEY", or the traditional
// RSA/EC forms). Immutable after loading; thread-safe to sign with.
class SigningKey {
 public:
  // Throws KeyError ("<where>: ...") when `pem` is not a private key of the
  // algorithm's type (RSA of at least 2048 bits; EC on P-256).
  static std::shared_ptr<const SigningKey> FromPem(std::string_view pem, JwtAlgorithm alg,
                                                   const std::string& where);
  ~SigningKey();
  JwtAlgorithm algorithm() const { return alg_; }
  // The JOSE signature of `signing_input`. Throws KeyError when OpenSSL fails.
  std::string Sign(std::string_view signing_input) const;

 private:
  SigningKey(EVP_PKEY* key, JwtAlgorithm alg) : key_(key), alg_(alg) {}
  EVP_PKEY* key_;
  JwtAlgorithm alg_;
};

// base64url without padding (RFC 7515 §2).
std::string Base64Url(std::string_view bytes);

// header.claims.signature; "alg" (and "typ") are set from the key.
std::string SignJwt(const SigningKey& key, boost::json::object header,
                    const boost::json::object& claims);

}  // namespace twostep::push
