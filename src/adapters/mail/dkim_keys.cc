#include "adapters/mail/dkim_keys.h"

#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sodium.h>

namespace twostep::mail {

namespace {

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

bool IsDnsName(const std::string& name) {
  if (name.empty() || name.size() > 253 || name.front() == '.' || name.back() == '.') return false;
  size_t label = 0;
  for (char ch : name) {
    if (ch == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    if (!isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_') return false;
    if (++label > 63) return false;
  }
  return true;
}

std::string Base64(const unsigned char* data, size_t size) {
  std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);
  return out;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("DKIM key " + path + ": cannot read the file");
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// RFC 6376 §3.6.1: p= is the base64 of the DER SubjectPublicKeyInfo for
// RSA; RFC 8463 §4.2: the raw 32-byte public key for Ed25519.
std::string PublicRecord(EVP_PKEY* key, DkimAlgorithm algorithm) {
  if (algorithm == DkimAlgorithm::kEd25519Sha256) {
    unsigned char raw[32];
    size_t len = sizeof raw;
    if (EVP_PKEY_get_raw_public_key(key, raw, &len) != 1 || len != sizeof raw)
      throw std::runtime_error("cannot derive the Ed25519 public key");
    return "v=DKIM1; k=ed25519; p=" + Base64(raw, len);
  }
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(key, &der);
  if (len <= 0) throw std::runtime_error("cannot derive the RSA public key");
  std::string b64 = Base64(der, static_cast<size_t>(len));
  OPENSSL_free(der);
  return "v=DKIM1; k=rsa; p=" + b64;
}

}  // namespace

void CheckDkimDomain(const std::string& domain) {
  if (!IsDnsName(domain))
    throw std::runtime_error("mail.dkim_domain '" + domain + "' is not a domain name");
}

DkimKey LoadDkimKey(const std::string& path, DkimAlgorithm algorithm, const std::string& selector) {
  if (!IsDnsName(selector))
    throw std::runtime_error("DKIM selector '" + selector + "' is not a DNS label");
  DkimKey out;
  out.algorithm = algorithm;
  out.selector = selector;
  out.private_pem = Secret(ReadFile(path));
  const auto pem = out.private_pem.Reveal();
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())),
                                               &BIO_free);
  PkeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr,
              &EVP_PKEY_free);
  if (!key) throw std::runtime_error("DKIM key " + path + ": not a PEM private key");
  const int type = EVP_PKEY_get_base_id(key.get());
  if (algorithm == DkimAlgorithm::kRsaSha256) {
    if (type != EVP_PKEY_RSA) throw std::runtime_error("DKIM key " + path + ": not an RSA key");
    if (EVP_PKEY_get_bits(key.get()) < 1024)
      throw std::runtime_error("DKIM key " + path + ": RSA keys need at least 1024 bits (2048 recommended)");
  } else if (type != EVP_PKEY_ED25519) {
    throw std::runtime_error("DKIM key " + path + ": not an Ed25519 key");
  }
  try {
    out.public_record = PublicRecord(key.get(), algorithm);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error("DKIM key " + path + ": " + e.what());
  }
  return out;
}

std::string DkimRecordName(const DkimKey& key, const std::string& domain) {
  return key.selector + "._domainkey." + domain;
}

}  // namespace twostep::mail
