// MailMessage: one email as the domain composes it (templates in
// domain/mail_templates.h). Addresses are already validated; the transport
// adds From, Date, Message-ID and the MIME structure.
#pragma once

#include <string>
#include <string_view>

namespace twostep {

// Written into a subject where the app's display name goes ("Your {app}
// verification code"); the mail adapter fills it in at delivery with
// apps.<id>.display_name, a setting the domain does not see.
inline constexpr std::string_view kAppNamePlaceholder = "{app}";

// `subject` with every kAppNamePlaceholder replaced by `app_name`. Pure.
inline std::string FillAppName(std::string_view subject, std::string_view app_name) {
  std::string out;
  for (size_t at = 0;;) {
    const size_t hit = subject.find(kAppNamePlaceholder, at);
    out += subject.substr(at, hit == std::string_view::npos ? std::string_view::npos : hit - at);
    if (hit == std::string_view::npos) return out;
    out += app_name;
    at = hit + kAppNamePlaceholder.size();
  }
}

struct MailMessage {
  std::string to;       // a validated address (no CR/LF possible)
  std::string subject;  // plain text, one line
  std::string text;     // text/plain body
  std::string html;     // text/html body
  // A code mail: the challenge whose code it carries. The outbox drops it,
  // unsent, once that challenge has ended or sent a newer code (a code
  // that no longer works is not worth delivering late). Empty otherwise.
  std::string challenge_id;
  // The language the mail is written in (one of i18n::kLanguages): its
  // Content-Language header.
  std::string language = "en";
};

}  // namespace twostep
