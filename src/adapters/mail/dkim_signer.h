// DkimSigner: the DKIM-Signature header fields of an outgoing mail
// (RFC 6376, relaxed/relaxed), one RSA-SHA256 signature and, when an
// Ed25519 key is configured, a second Ed25519-SHA256 one (RFC 8463), both
// made by Debian's libopendkim: canonicalisation, hashing and signing are
// the library's, not ours. The signature time (t=) comes from the caller,
// so the injected clock decides it.
// Thread-safe (one mutex around the library handle's time option).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/mail/dkim_keys.h"
#include "base/result.h"
#include "base/time.h"

namespace twostep::mail {

class DkimSigner {
 public:
  // The header fields every signature covers, in the order a verifier
  // finds them; From, To and Subject are also "oversigned" (listed once
  // more than present), so a header of that name added later breaks the
  // signature instead of replacing what the reader sees.
  static const std::vector<std::string>& SignedHeaders();

  // `settings.keys` must not be empty. Throws std::runtime_error when the
  // library cannot start or refuses the algorithm (an OpenDKIM built
  // without Ed25519).
  explicit DkimSigner(DkimSettings settings);
  ~DkimSigner();
  DkimSigner(const DkimSigner&) = delete;
  DkimSigner& operator=(const DkimSigner&) = delete;

  // One "DKIM-Signature: ..." field per key (folded with CRLF + TAB, no
  // final CRLF), for the message made of `headers` ("Name: value" each,
  // without line ends) and `body` (CRLF line ends). Error kInternal when
  // the library fails (a safe detail; never key material).
  Result<std::vector<std::string>> Sign(const std::vector<std::string>& headers,
                                        std::string_view body, Timestamp now) const;

  const DkimSettings& settings() const { return settings_; }

 private:
  Result<std::string> SignOne(const DkimKey& key, const std::vector<std::string>& headers,
                              std::string_view body) const;

  DkimSettings settings_;
  struct Library;
  std::unique_ptr<Library> lib_;
  mutable std::mutex mutex_;  // the library's fixed-time option is global to it
};

}  // namespace twostep::mail
