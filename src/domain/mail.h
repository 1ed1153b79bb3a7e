// MailMessage: one email as the domain composes it (templates in
// domain/mail_templates.h). Addresses are already validated; the transport
// adds From, Date, Message-ID and the MIME structure.
#pragma once

#include <string>

namespace twostep {

struct MailMessage {
  std::string to;       // a validated address (no CR/LF possible)
  std::string subject;  // plain text, one line
  std::string text;     // text/plain body
  std::string html;     // text/html body
};

}  // namespace twostep
