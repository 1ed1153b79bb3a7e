// Builds the RFC 5322 / MIME text of an outgoing mail: From, To, Subject
// (RFC 2047 when not ASCII), Date, Message-ID, Auto-Submitted (RFC 3834),
// Content-Language (RFC 3282), MIME-Version, multipart/alternative with base64 text/plain and text/html
// parts, CRLF line ends. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "ports/mail_transport.h"

namespace twostep::mail {

// A message as header fields ("Name: value", no line end) and a body (CRLF
// line ends): the form DKIM signs, and Text() the form that is sent.
struct MimeMessage {
  std::vector<std::string> headers;
  std::string body;
  std::string Text() const;
};

// `from` is the whole From value ("Kasa" <no-reply@example.com>), `subject`
// the final subject text. Error kInvalidRequest when a header value (from,
// to, subject, message id) contains CR, LF or NUL: header injection is
// impossible by construction.
Result<MimeMessage> BuildMimeMessage(const OutgoingMail& mail, std::string_view from,
                                     std::string_view subject);

// RFC 2047 B-encoding of non-ASCII text for a header ("=?UTF-8?B?...?="),
// the text itself when it is ASCII.
std::string EncodeHeaderWord(std::string_view text);

}  // namespace twostep::mail
