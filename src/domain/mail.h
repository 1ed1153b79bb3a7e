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
  // A code mail: the challenge whose code it carries. The outbox drops it,
  // unsent, once that challenge has ended or sent a newer code (a code
  // that no longer works is not worth delivering late). Empty otherwise.
  std::string challenge_id;
};

}  // namespace twostep
