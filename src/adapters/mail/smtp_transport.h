// SmtpTransport: delivers mail through an SMTP server with libcurl.
// `smtp://host:port` upgrades with STARTTLS when the server offers it;
// `smtps://host:port` is TLS from the start. Optional AUTH with user and
// password. Errors never include the password. Thread-safe (one curl handle
// per Send).
#pragma once

#include <chrono>
#include <string>

#include "ports/mail_transport.h"

namespace twostep::mail {

struct SmtpSettings {
  std::string url;
  std::string user;
  std::string password;
  std::string from;
  std::chrono::seconds timeout{30};
};

class SmtpTransport : public MailTransport {
 public:
  explicit SmtpTransport(SmtpSettings settings);
  Result<void> Send(const OutgoingMail& mail) override;

 private:
  SmtpSettings settings_;
};

}  // namespace twostep::mail
