// FileTransport: the embedded default. Writes each mail as
// `<dir>/<created ms>-<message id>.eml`, durably (temp file, fsync, rename,
// fsync of the directory). The same message twice overwrites: retries are
// idempotent. Logs one line per mail: masked recipient, subject, file; never
// the body (it holds codes). Thread-compatible (used by one sender thread).
#pragma once

#include <string>

#include "ports/mail_transport.h"

namespace twostep::mail {

class FileTransport : public MailTransport {
 public:
  // Creates `dir` (mode 0700) when missing. Throws std::runtime_error.
  FileTransport(std::string dir, std::string from);
  Result<void> Send(const OutgoingMail& mail) override;

 private:
  std::string dir_;
  std::string from_;
};

}  // namespace twostep::mail
