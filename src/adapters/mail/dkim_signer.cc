#include "adapters/mail/dkim_signer.h"

#include <stdexcept>

// dkim.h is a C99 header: its _Bool is C++'s bool (same ABI).
#define _Bool bool
extern "C" {
#include <opendkim/dkim.h>
}
#undef _Bool

namespace twostep::mail {

namespace {

// libopendkim folds its header with bare LF; a mail on the wire has CRLF.
std::string WithCrlf(std::string_view folded) {
  std::string out;
  for (size_t i = 0; i < folded.size(); ++i) {
    if (folded[i] == '\n' && (i == 0 || folded[i - 1] != '\r')) out += '\r';
    out += folded[i];
  }
  return out;
}

dkim_alg_t AlgorithmOf(DkimAlgorithm a) {
  return a == DkimAlgorithm::kEd25519Sha256 ? DKIM_SIGN_ED25519SHA256 : DKIM_SIGN_RSASHA256;
}

// NULL-terminated lists as the library's options take them.
const char* kSignHeaders[] = {"from", "to", "subject", "date", "message-id", "mime-version",
                              "content-type", "auto-submitted", "content-language", nullptr};
const char* kOversignHeaders[] = {"from", "to", "subject", nullptr};

}  // namespace

struct DkimSigner::Library {
  DKIM_LIB* handle = nullptr;
  ~Library() {
    if (handle) dkim_close(handle);
  }
};

const std::vector<std::string>& DkimSigner::SignedHeaders() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const char** h = kSignHeaders; *h; ++h) out.emplace_back(*h);
    return out;
  }();
  return names;
}

DkimSigner::DkimSigner(DkimSettings settings)
    : settings_(std::move(settings)), lib_(std::make_unique<Library>()) {
  if (settings_.keys.empty()) throw std::runtime_error("DKIM: no signing key");
  lib_->handle = dkim_init(nullptr, nullptr);
  if (!lib_->handle) throw std::runtime_error("DKIM: libopendkim did not start");
  for (const auto& key : settings_.keys)
    if (key.algorithm == DkimAlgorithm::kEd25519Sha256 &&
        !dkim_libfeature(lib_->handle, DKIM_FEATURE_ED25519))
      throw std::runtime_error("DKIM: this libopendkim was built without Ed25519 (RFC 8463)");
  if (dkim_options(lib_->handle, DKIM_OP_SETOPT, DKIM_OPTS_SIGNHDRS, kSignHeaders,
                   sizeof(char**)) != DKIM_STAT_OK ||
      dkim_options(lib_->handle, DKIM_OP_SETOPT, DKIM_OPTS_OVERSIGNHDRS, kOversignHeaders,
                   sizeof(char**)) != DKIM_STAT_OK)
    throw std::runtime_error("DKIM: libopendkim refused the header lists");
}

DkimSigner::~DkimSigner() = default;

Result<std::string> DkimSigner::SignOne(const DkimKey& key, const std::vector<std::string>& headers,
                                        std::string_view body) const {
  DKIM_STAT status = DKIM_STAT_OK;
  const auto pem = key.private_pem.Reveal();
  // The library copies the key; the id only names the message in its logs.
  DKIM* dkim = dkim_sign(lib_->handle, reinterpret_cast<const unsigned char*>("twostep"), nullptr,
                         reinterpret_cast<dkim_sigkey_t>(const_cast<char*>(pem.data())),
                         reinterpret_cast<const unsigned char*>(key.selector.c_str()),
                         reinterpret_cast<const unsigned char*>(settings_.domain.c_str()),
                         DKIM_CANON_RELAXED, DKIM_CANON_RELAXED, AlgorithmOf(key.algorithm), -1,
                         &status);
  if (!dkim) return Error{ErrorCode::kInternal, "DKIM: cannot start a signature"};
  std::unique_ptr<DKIM, decltype(&dkim_free)> guard(dkim, &dkim_free);
  for (const auto& h : headers) {
    std::string field = h;
    if (dkim_header(dkim, reinterpret_cast<unsigned char*>(field.data()), field.size()) != DKIM_STAT_OK)
      return Error{ErrorCode::kInternal, "DKIM: a header was refused"};
  }
  std::string text(body);
  if (dkim_eoh(dkim) != DKIM_STAT_OK ||
      dkim_body(dkim, reinterpret_cast<unsigned char*>(text.data()), text.size()) != DKIM_STAT_OK ||
      dkim_eom(dkim, nullptr) != DKIM_STAT_OK)
    return Error{ErrorCode::kInternal, "DKIM: signing failed"};
  unsigned char* value = nullptr;
  size_t len = 0;
  const size_t prefix = sizeof(DKIM_SIGNHEADER) + 1;  // "DKIM-Signature: "
  if (dkim_getsighdr_d(dkim, prefix, &value, &len) != DKIM_STAT_OK || !value)
    return Error{ErrorCode::kInternal, "DKIM: no signature header"};
  return WithCrlf(std::string(DKIM_SIGNHEADER) + ": " +
                  std::string(reinterpret_cast<char*>(value), len));
}

Result<std::vector<std::string>> DkimSigner::Sign(const std::vector<std::string>& headers,
                                                  std::string_view body, Timestamp now) const {
  std::lock_guard lock(mutex_);
  uint64_t fixed = static_cast<uint64_t>(ToMillis(now) / 1000);
  if (dkim_options(lib_->handle, DKIM_OP_SETOPT, DKIM_OPTS_FIXEDTIME, &fixed, sizeof fixed) !=
      DKIM_STAT_OK)
    return Error{ErrorCode::kInternal, "DKIM: cannot set the signature time"};
  std::vector<std::string> out;
  for (const auto& key : settings_.keys) {
    auto field = SignOne(key, headers, body);
    if (!field) return std::move(field).error();
    out.push_back(std::move(*field));
  }
  return out;
}

}  // namespace twostep::mail
