// MailTransport: delivers one composed message. Implementations: files
// (adapters/mail/file_transport.h) and SMTP through libcurl
// (adapters/mail/smtp_transport.h). Called only by the outbox sender, from
// one thread; a failure is retried later with back-off, so Send must be
// safe to repeat (at-least-once delivery).
#pragma once

#include <string>

#include "base/result.h"
#include "base/time.h"
#include "domain/mail.h"

namespace twostep {

struct OutgoingMail {
  std::string message_id;  // stable across retries, e.g. "<outbox-42.abc@host>"
  Timestamp created_at;
  MailMessage message;
};

class MailTransport {
 public:
  virtual ~MailTransport() = default;
  // Ok once the message is handed over (written durably / accepted by the
  // SMTP server). Error kUnavailable with a safe detail otherwise.
  virtual Result<void> Send(const OutgoingMail& mail) = 0;
};

}  // namespace twostep
