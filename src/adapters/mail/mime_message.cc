#include "adapters/mail/mime_message.h"

#include <sodium.h>

#include "i18n/messages.h"

namespace twostep::mail {

namespace {

bool SafeHeader(std::string_view v) {
  return v.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

std::string Base64(std::string_view data) {
  if (data.empty()) return "";
  std::string out(sodium_base64_ENCODED_LEN(data.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()),
                    data.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // trailing NUL
  return out;
}

// Base64 wrapped at 76 columns, CRLF line ends (RFC 2045).
std::string Base64Lines(std::string_view data) {
  std::string b64 = Base64(data), out;
  for (size_t i = 0; i < b64.size(); i += 76) out += b64.substr(i, 76) + "\r\n";
  return out;
}

std::string Boundary(std::string_view message_id, const std::string& text, const std::string& html) {
  unsigned char h[16];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(message_id.data()),
                     message_id.size(), nullptr, 0);
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  std::string b = std::string("=_twostep_") + hex;
  // Base64 bodies cannot contain "=_", but keep the promise explicit.
  while (text.find(b) != std::string::npos || html.find(b) != std::string::npos) b += "_";
  return b;
}

}  // namespace

std::string EncodeHeaderWord(std::string_view text) {
  bool ascii = true;
  for (unsigned char ch : text) ascii = ascii && ch < 0x80;
  if (ascii) return std::string(text);
  return "=?UTF-8?B?" + Base64(text) + "?=";
}

std::string MimeMessage::Text() const {
  std::string out;
  for (const auto& h : headers) out += h + "\r\n";
  return out + "\r\n" + body;
}

Result<MimeMessage> BuildMimeMessage(const OutgoingMail& mail, std::string_view from,
                                     std::string_view subject) {
  const auto& m = mail.message;
  for (std::string_view v : {from, std::string_view(m.to), subject,
                             std::string_view(mail.message_id)})
    if (!SafeHeader(v)) return Error::InvalidRequest("A mail header contains a line break.");
  const std::string text_b64 = Base64Lines(m.text);
  const std::string html_b64 = Base64Lines(m.html);
  const std::string boundary = Boundary(mail.message_id, text_b64, html_b64);
  MimeMessage out;
  out.headers = {
      "From: " + std::string(from),
      "To: " + m.to,
      "Subject: " + EncodeHeaderWord(subject),
      "Date: " + FormatRfc5322(mail.created_at),
      "Message-ID: " + mail.message_id,
      // RFC 3834: no auto-replies ("out of office") to a machine's mail.
      "Auto-Submitted: auto-generated",
      // The language the mail is written in (U17); a bad value never
      // reaches a header.
      "Content-Language: " + std::string(i18n::IsLanguage(m.language) ? m.language : i18n::kDefaultLanguage),
      "MIME-Version: 1.0",
      "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"",
  };
  std::string& b = out.body;
  b += "--" + boundary + "\r\n";
  b += "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  b += text_b64;
  b += "--" + boundary + "\r\n";
  b += "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  b += html_b64;
  b += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace twostep::mail
