// MailTransport: delivers one composed message. Implementations: files
// (adapters/mail/file_transport.h) and SMTP through libcurl
// (adapters/mail/smtp_transport.h). Called only by the outbox sender, from
// one thread; a temporary failure is retried later with back-off, so Send
// must be safe to repeat (at-least-once delivery).
#pragma once

#include <string>

#include "base/time.h"
#include "domain/mail.h"

namespace twostep {

struct OutgoingMail {
  std::string message_id;  // stable across retries, e.g. "<outbox-42.abc@host>"
  Timestamp created_at;
  MailMessage message;
  // The app whose name the sender shows ("Kasa <no-reply@…>"); empty or
  // unknown: the generic sender name (adapters/mail/mail_composer.h).
  std::string app;
};

// How one delivery attempt ended. `detail` is safe for logs: no body, no
// code, no password.
struct MailDelivery {
  enum class Outcome {
    kSent,      // written durably / accepted by the SMTP server
    kRetry,     // temporary: connection, 4xx, disk; the outbox backs off
    kRejected,  // permanent: the receiving server answered 5xx to the
                // recipient or the message (RCPT/DATA); never retried
  };
  Outcome outcome = Outcome::kSent;
  std::string detail;

  static MailDelivery Sent() { return {Outcome::kSent, ""}; }
  static MailDelivery Retry(std::string detail) { return {Outcome::kRetry, std::move(detail)}; }
  static MailDelivery Rejected(std::string detail) {
    return {Outcome::kRejected, std::move(detail)};
  }
};

class MailTransport {
 public:
  virtual ~MailTransport() = default;
  virtual MailDelivery Send(const OutgoingMail& mail) = 0;
};

}  // namespace twostep
