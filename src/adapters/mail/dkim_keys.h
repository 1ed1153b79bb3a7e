// DKIM signing keys (RFC 6376, RFC 8463): read from PEM files, checked, and
// turned into the DNS TXT record a receiver looks up at
// <selector>._domainkey.<domain>. OpenSSL reads the keys; nothing here
// parses key material by hand. Thread-compatible values.
#pragma once

#include <string>
#include <vector>

#include "base/secret.h"

namespace twostep::mail {

enum class DkimAlgorithm { kRsaSha256, kEd25519Sha256 };

struct DkimKey {
  DkimAlgorithm algorithm = DkimAlgorithm::kRsaSha256;
  std::string selector;
  Secret private_pem;         // the file's text, handed to libopendkim
  std::string public_record;  // "v=DKIM1; k=rsa; p=<base64>" (or k=ed25519)
};

// Reads the PEM private key at `path` and checks that it is an RSA key of
// at least 1024 bits (RFC 8301; 2048 recommended) or an Ed25519 key, as
// `algorithm` says, and that `selector` is a DNS label (letters, digits,
// '-', dots between labels). Throws std::runtime_error naming the file and
// the problem, never any key material.
DkimKey LoadDkimKey(const std::string& path, DkimAlgorithm algorithm, const std::string& selector);

// What every outgoing mail is signed with: one RSA key, and optionally an
// Ed25519 key for a second signature. Empty `keys`: mail goes unsigned.
struct DkimSettings {
  std::string domain;  // d= of the signatures
  std::vector<DkimKey> keys;
};

// The DNS name of a key's record: "<selector>._domainkey.<domain>".
std::string DkimRecordName(const DkimKey& key, const std::string& domain);

// Checks a domain name as the d= value: labels of letters, digits and '-'.
// Throws std::runtime_error.
void CheckDkimDomain(const std::string& domain);

}  // namespace twostep::mail
