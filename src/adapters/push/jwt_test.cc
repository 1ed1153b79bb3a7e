// The JWTs the push providers check: signed by OpenSSL, verified here with
// the public half of a key made for the test (OpenSSL again), ES256 in the
// JOSE r||s form real APNs expects.
#include "adapters/push/jwt.h"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <sodium.h>

namespace twostep::push {
namespace {

struct TestKey {
  std::string pem;
  EVP_PKEY* pkey = nullptr;
  ~TestKey() { EVP_PKEY_free(pkey); }
};

std::unique_ptr<TestKey> MakeKey(bool rsa) {
  auto k = std::make_unique<TestKey>();
  k->pkey = rsa ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048})
                : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, k->pkey, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  k->pem.assign(data, static_cast<size_t>(len));
  BIO_free(bio);
  return k;
}

std::string FromBase64Url(const std::string& text) {
  std::string out(text.size(), '\0');
  size_t len = 0;
  EXPECT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                              text.size(), nullptr, &len, nullptr,
                              sodium_base64_VARIANT_URLSAFE_NO_PADDING),
            0);
  out.resize(len);
  return out;
}

// Verifies `jwt` with the public half of `key` (an ES256 signature is
// turned back into DER first). Returns the decoded claims.
boost::json::object Verify(const std::string& jwt, EVP_PKEY* key, bool es256) {
  const auto dot1 = jwt.find('.'), dot2 = jwt.rfind('.');
  const std::string input = jwt.substr(0, dot2);
  std::string sig = FromBase64Url(jwt.substr(dot2 + 1));
  if (es256) {
    EXPECT_EQ(sig.size(), 64u);
    ECDSA_SIG* s = ECDSA_SIG_new();
    auto* b = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG_set0(s, BN_bin2bn(b, 32, nullptr), BN_bin2bn(b + 32, 32, nullptr));
    unsigned char* der = nullptr;
    int len = i2d_ECDSA_SIG(s, &der);
    sig.assign(reinterpret_cast<char*>(der), static_cast<size_t>(len));
    OPENSSL_free(der);
    ECDSA_SIG_free(s);
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key);
  const int ok = EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                                  reinterpret_cast<const unsigned char*>(input.data()), input.size());
  EVP_MD_CTX_free(ctx);
  EXPECT_EQ(ok, 1) << "signature does not verify";
  auto header = boost::json::parse(FromBase64Url(jwt.substr(0, dot1))).as_object();
  EXPECT_EQ(header["alg"], es256 ? "ES256" : "RS256");
  EXPECT_EQ(header["typ"], "JWT");
  return boost::json::parse(FromBase64Url(jwt.substr(dot1 + 1, dot2 - dot1 - 1))).as_object();
}

TEST(JwtTest, Base64UrlHasNoPaddingAndTheUrlAlphabet) {
  EXPECT_EQ(Base64Url(""), "");
  EXPECT_EQ(Base64Url("f"), "Zg");
  EXPECT_EQ(Base64Url("foob"), "Zm9vYg");
  EXPECT_EQ(Base64Url("\xfb\xff"), "-_8");
}

TEST(JwtTest, Rs256VerifiesWithThePublicKey) {
  auto k = MakeKey(true);
  auto key = SigningKey::FromPem(k->pem, JwtAlgorithm::kRs256, "test");
  auto claims = Verify(SignJwt(*key, {{"kid", "k1"}}, {{"iss", "svc@example"}, {"iat", 1}}),
                       k->pkey, false);
  EXPECT_EQ(claims["iss"], "svc@example");
}

TEST(JwtTest, Es256VerifiesWithThePublicKey) {
  auto k = MakeKey(false);
  auto key = SigningKey::FromPem(k->pem, JwtAlgorithm::kEs256, "test");
  for (int i = 0; i < 20; ++i) {  // r or s with leading zero bytes must still be 32 bytes each
    auto claims = Verify(SignJwt(*key, {{"kid", "ABC"}}, {{"iss", "TEAM"}, {"iat", i}}), k->pkey, true);
    EXPECT_EQ(claims["iat"], i);
  }
}

TEST(JwtTest, AKeyOfTheWrongKindOrNoKeyIsRefusedNamingTheFile) {
  auto rsa = MakeKey(true);
  auto ec = MakeKey(false);
  try {
    SigningKey::FromPem(rsa->pem, JwtAlgorithm::kEs256, "apps.kasa.apns_key_file (k.p8)");
    FAIL();
  } catch (const KeyError& e) {
    EXPECT_STREQ(e.what(), "apps.kasa.apns_key_file (k.p8): not a P-256 EC private key (APNs .p8 keys are P-256)");
  }
  EXPECT_THROW(SigningKey::FromPem(ec->pem, JwtAlgorithm::kRs256, "x"), KeyError);
  const std::string garbage = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----\n";
  try {
    SigningKey::FromPem(garbage, JwtAlgorithm::kEs256, "where");
    FAIL();
  } catch (const KeyError& e) {
    EXPECT_STREQ(e.what(), "where: no PEM private key in it");
  }
}

}  // namespace
}  // namespace twostep::push
