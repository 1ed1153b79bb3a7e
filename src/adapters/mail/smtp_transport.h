// SmtpTransport: delivers mail through an SMTP server with libcurl.
// `smtp://host:port` upgrades with STARTTLS when the server offers it;
// `smtps://host:port` is TLS from the start. Optional AUTH with user and
// password. The message is what MailComposer makes (DKIM-signed when keys
// are configured); the envelope sender is mail.from. Errors never include
// the password. Thread-safe (one curl handle per Send).
#pragma once

#include <chrono>
#include <string>

#include "adapters/mail/mail_composer.h"
#include "ports/mail_transport.h"

namespace twostep::mail {

struct SmtpSettings {
  std::string url;
  std::string user;
  std::string password;
  std::chrono::seconds timeout{30};
};

// How an SMTP exchange failed, as the transport sorts it: the command the
// server answered last and its reply code.
enum class SmtpStage { kOther, kMailFrom, kRcpt, kData };
// kRejected for a 5xx reply to RCPT or DATA (the recipient or the message
// is refused for good, RFC 5321 §4.2.1); kRetry for anything else (4xx, a
// 5xx to MAIL FROM or AUTH, which is the sender's set-up, no reply at all).
MailDelivery::Outcome ClassifySmtpFailure(SmtpStage stage, long reply_code);

class SmtpTransport : public MailTransport {
 public:
  // `composer` must outlive the transport.
  SmtpTransport(SmtpSettings settings, const MailComposer& composer);
  MailDelivery Send(const OutgoingMail& mail) override;

 private:
  SmtpSettings settings_;
  const MailComposer& composer_;
};

}  // namespace twostep::mail
