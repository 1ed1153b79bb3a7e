// Builds the RFC 5322 / MIME text of an outgoing mail: From, To, Subject
// (RFC 2047 when not ASCII), Date, Message-ID, multipart/alternative with
// base64 text/plain and text/html parts, CRLF line ends. Pure.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "ports/mail_transport.h"

namespace twostep::mail {

// Error kInvalidRequest when a header value (from, to, subject, message id)
// contains CR, LF or NUL: header injection is impossible by construction.
Result<std::string> BuildMimeMessage(const OutgoingMail& mail, std::string_view from);

}  // namespace twostep::mail
