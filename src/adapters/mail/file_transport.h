// FileTransport: the embedded default. Writes each mail, exactly as SMTP
// would carry it (composed and DKIM-signed by MailComposer), as
// `<dir>/<created ms>-<message id>.eml`, durably (temp file, fsync, rename,
// fsync of the directory). The same message twice overwrites: retries are
// idempotent. Logs one line per mail: masked recipient, subject, file; never
// the body (it holds codes). Thread-compatible (used by one sender thread).
#pragma once

#include <string>

#include "adapters/mail/mail_composer.h"
#include "ports/mail_transport.h"

namespace twostep::mail {

class FileTransport : public MailTransport {
 public:
  // Creates `dir` (mode 0700) when missing. Throws std::runtime_error.
  // `composer` must outlive the transport.
  FileTransport(std::string dir, const MailComposer& composer);
  // kSent once the file is durable; kRetry when it cannot be composed or
  // written (the log says why). Never kRejected: a file has no recipient.
  MailDelivery Send(const OutgoingMail& mail) override;

 private:
  std::string dir_;
  const MailComposer& composer_;
};

}  // namespace twostep::mail
