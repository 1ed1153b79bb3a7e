// MailComposer: turns an outbox message into the exact bytes that are sent
// (and, in file mode, written): the sender identity of the mail's app
// ("Kasa" <no-reply@example.com>), the subject with the app's name filled
// in (domain/mail.h kAppNamePlaceholder), the MIME structure
// (mime_message.h) and, when keys are configured, the DKIM signatures
// (dkim_signer.h) on top. Both transports use one composer, so what the
// tests read from files is what SMTP carries.
// Thread-safe (the app names are a LiveValue that a reload replaces whole;
// the rest is immutable after construction; the signer locks itself).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "adapters/mail/dkim_signer.h"
#include "base/live_value.h"
#include "base/result.h"
#include "ports/clock.h"
#include "ports/mail_transport.h"

namespace twostep::mail {

// The name a mail shows for an app that is empty or not configured.
inline constexpr const char* kGenericSenderName = "twostep";

struct SenderIdentity {
  std::string address;  // mail.from: the addr-spec, also the SMTP envelope sender
  // Configured app id → display name (apps.<id>.display_name, default the
  // id). Only these names ever appear in a From or Subject: a device's
  // free-text app field never does.
  std::map<std::string, std::string> app_names;
};

class MailComposer {
 public:
  // `signer` may be null (mail goes unsigned). Throws std::runtime_error
  // when `identity.address` is not an address or a display name holds a
  // line break.
  MailComposer(SenderIdentity identity, std::unique_ptr<DkimSigner> signer, const Clock& clock);

  // The whole message, CRLF line ends, DKIM-Signature fields first.
  // Error kInvalidRequest for a header that would break (see
  // BuildMimeMessage), kInternal when signing fails.
  Result<std::string> Compose(const OutgoingMail& mail) const;

  // The display name used for `app`.
  std::string AppName(const std::string& app) const;
  const std::string& envelope_from() const { return address_; }

  // Replaces the app names (a reload of apps.<id>.display_name): mails
  // composed from now on use them. Throws std::runtime_error, and keeps the
  // running names, when a name is empty or holds a line break.
  void SetAppNames(std::map<std::string, std::string> app_names);

 private:
  const std::string address_;
  LiveValue<std::map<std::string, std::string>> app_names_;
  std::unique_ptr<DkimSigner> signer_;
  const Clock& clock_;
};

// RFC 5322 From value: `name` as a quoted string (or RFC 2047 encoded word
// when not ASCII) and the address in angle brackets.
std::string FromHeader(const std::string& name, const std::string& address);

}  // namespace twostep::mail
