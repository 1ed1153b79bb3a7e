#include "adapters/mail/mail_composer.h"

#include <stdexcept>

#include "adapters/mail/mime_message.h"

namespace twostep::mail {

namespace {

bool HasLineBreak(std::string_view v) {
  return v.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

bool IsAddrSpec(const std::string& a) {
  const auto at = a.find('@');
  return at != std::string::npos && at > 0 && at + 1 < a.size() && a.find('@', at + 1) == std::string::npos &&
         a.find_first_of(" <>\"(),;:\\[]") == std::string::npos && !HasLineBreak(a);
}

void CheckAppNames(const std::map<std::string, std::string>& app_names) {
  for (const auto& [app, name] : app_names)
    if (name.empty() || HasLineBreak(name))
      throw std::runtime_error("apps." + app + ".display_name must be one line of text");
}

}  // namespace

std::string FromHeader(const std::string& name, const std::string& address) {
  bool ascii = true;
  for (unsigned char ch : name) ascii = ascii && ch >= 0x20 && ch < 0x7f;
  std::string phrase;
  if (ascii) {
    phrase = "\"";
    for (char ch : name) {
      if (ch == '"' || ch == '\\') phrase += '\\';
      phrase += ch;
    }
    phrase += "\"";
  } else {
    phrase = EncodeHeaderWord(name);
  }
  return phrase + " <" + address + ">";
}

MailComposer::MailComposer(SenderIdentity identity, std::unique_ptr<DkimSigner> signer,
                           const Clock& clock)
    : address_(std::move(identity.address)),
      app_names_(std::move(identity.app_names)),
      signer_(std::move(signer)),
      clock_(clock) {
  if (!IsAddrSpec(address_))
    throw std::runtime_error("mail.from '" + address_ +
                             "' must be a plain address such as no-reply@example.com "
                             "(the name shown comes from apps.<id>.display_name)");
  CheckAppNames(*app_names_.Get());
}

void MailComposer::SetAppNames(std::map<std::string, std::string> app_names) {
  CheckAppNames(app_names);
  app_names_.Set(std::move(app_names));
}

std::string MailComposer::AppName(const std::string& app) const {
  const auto names = app_names_.Get();
  auto it = names->find(app);
  return it == names->end() ? kGenericSenderName : it->second;
}

Result<std::string> MailComposer::Compose(const OutgoingMail& mail) const {
  const std::string name = AppName(mail.app);
  auto mime = BuildMimeMessage(mail, FromHeader(name, address_),
                               FillAppName(mail.message.subject, name));
  if (!mime) return std::move(mime).error();
  if (!signer_) return mime->Text();
  auto signatures = signer_->Sign(mime->headers, mime->body, clock_.Now());
  if (!signatures) return std::move(signatures).error();
  std::string out;
  for (const auto& s : *signatures) out += s + "\r\n";
  return out + mime->Text();
}

}  // namespace twostep::mail
