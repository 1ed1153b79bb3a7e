#include "app/mail_setup.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include "adapters/mail/file_transport.h"
#include "adapters/mail/smtp_transport.h"

namespace twostep::app {

namespace {

mail::DkimKey LoadKey(const std::string& file, mail::DkimAlgorithm algorithm,
                      const std::string& selector) {
  try {
    return mail::LoadDkimKey(file, algorithm, selector);
  } catch (const std::runtime_error& e) {
    throw ConfigError(std::string("mail.dkim: ") + e.what());
  }
}

// A TXT value as quoted strings of at most 255 bytes each (RFC 1035
// §3.3.14: one string holds 255; a longer record is several, joined by
// the reader).
std::string QuotedTxt(const std::string& value) {
  std::string out;
  for (size_t i = 0; i < value.size(); i += 255)
    out += (out.empty() ? "" : " ") + ("\"" + value.substr(i, 255) + "\"");
  return out;
}

// The SMTP relay's host, when mail goes through one.
std::string SmtpHost(const std::string& url) {
  if (url.empty()) return "";
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), &curl_url_cleanup);
  char* host = nullptr;
  if (curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK ||
      curl_url_get(u.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK)
    return "";
  std::string out(host);
  curl_free(host);
  return out;
}

// DMARC's relaxed alignment (RFC 7489 §3.1.1), approximated without the
// public suffix list: the signing domain is the From domain or a parent of it.
bool Aligned(const std::string& from_domain, const std::string& dkim_domain) {
  return from_domain == dkim_domain ||
         (from_domain.size() > dkim_domain.size() &&
          from_domain.compare(from_domain.size() - dkim_domain.size() - 1, std::string::npos,
                              "." + dkim_domain) == 0);
}

}  // namespace

std::string MailDomain(const std::string& from) {
  auto at = from.rfind('@');
  return at == std::string::npos ? "localhost" : from.substr(at + 1);
}

mail::SenderIdentity IdentityFromConfig(const Config& config) {
  mail::SenderIdentity id;
  id.address = config.mail.from;
  for (const auto& [app, settings] : config.apps)
    id.app_names[app] = settings.display_name.empty() ? app : settings.display_name;
  return id;
}

std::optional<mail::DkimSettings> DkimFromConfig(const Config& config) {
  const auto& m = config.mail;
  const bool any = !m.dkim_domain.empty() || !m.dkim_selector.empty() || !m.dkim_key_file.empty() ||
                   !m.dkim_ed25519_selector.empty() || !m.dkim_ed25519_key_file.empty();
  if (!any) return std::nullopt;
  if (m.dkim_domain.empty() || m.dkim_selector.empty() || m.dkim_key_file.empty())
    throw ConfigError("mail.dkim_domain, mail.dkim_selector and mail.dkim_key_file go together "
                      "(the RSA-SHA256 signature is the one every receiver checks)");
  if (m.dkim_ed25519_selector.empty() != m.dkim_ed25519_key_file.empty())
    throw ConfigError("mail.dkim_ed25519_selector and mail.dkim_ed25519_key_file go together");
  if (m.dkim_ed25519_selector == m.dkim_selector)
    throw ConfigError("mail.dkim_ed25519_selector must differ from mail.dkim_selector");
  mail::DkimSettings s;
  try {
    mail::CheckDkimDomain(m.dkim_domain);
  } catch (const std::runtime_error& e) {
    throw ConfigError(e.what());
  }
  s.domain = m.dkim_domain;
  s.keys.push_back(LoadKey(m.dkim_key_file, mail::DkimAlgorithm::kRsaSha256, m.dkim_selector));
  if (!m.dkim_ed25519_selector.empty())
    s.keys.push_back(LoadKey(m.dkim_ed25519_key_file, mail::DkimAlgorithm::kEd25519Sha256,
                             m.dkim_ed25519_selector));
  return s;
}

MailStack OpenMail(const Config& c, const Clock& clock) {
  MailStack out;
  std::unique_ptr<mail::DkimSigner> signer;
  if (auto dkim = DkimFromConfig(c)) signer = std::make_unique<mail::DkimSigner>(std::move(*dkim));
  try {
    out.composer = std::make_unique<mail::MailComposer>(IdentityFromConfig(c), std::move(signer), clock);
  } catch (const std::runtime_error& e) {
    throw ConfigError(e.what());
  }
  out.transport = OpenTransport(c, *out.composer);
  return out;
}

std::unique_ptr<MailTransport> OpenTransport(const Config& c, const mail::MailComposer& composer) {
  if (c.mail.smtp_url.empty()) return std::make_unique<mail::FileTransport>(c.mail.dir, composer);
  mail::SmtpSettings s;
  s.url = c.mail.smtp_url;
  s.user = c.mail.smtp_user;
  s.password = c.mail.smtp_password;
  return std::make_unique<mail::SmtpTransport>(s, composer);
}

std::string MailDnsRecords(const Config& config) {
  const std::string from_domain = MailDomain(config.mail.from);
  const auto dkim = DkimFromConfig(config);
  const std::string relay = SmtpHost(config.mail.smtp_url);
  std::string out = fmt::format(
      "; DNS records for mail from {} (twostepd mail-dns).\n"
      "; Publish them in the zone of {}; check with: dig +short TXT <name>\n\n",
      config.mail.from, from_domain);
  out += "; SPF (RFC 7208): the servers that may send mail for " + from_domain + ".\n";
  if (relay.empty() || relay == "localhost" || relay.rfind("127.", 0) == 0)
    out += "; List your outgoing relay (ip4:, include: of your provider) in place of mx.\n" +
           fmt::format("{}. 3600 IN TXT \"v=spf1 mx -all\"\n\n", from_domain);
  else
    out += "; Mail leaves through " + relay + "; use your provider's include: when it has one.\n" +
           fmt::format("{}. 3600 IN TXT \"v=spf1 a:{} -all\"\n\n", from_domain, relay);
  if (!dkim) {
    out += "; DKIM: not configured (mail.dkim_domain is empty): mail goes out unsigned.\n"
           "; Generate keys and set mail.dkim_* (docs/OPERATIONS.md), then run this again.\n\n";
  } else {
    out += "; DKIM (RFC 6376, RFC 8463): the public keys receivers check the signatures with.\n";
    if (!Aligned(from_domain, dkim->domain))
      out += "; WARNING: mail.dkim_domain " + dkim->domain + " does not align with the From domain " +
             from_domain + ": DMARC will not count these signatures.\n";
    for (const auto& key : dkim->keys)
      out += fmt::format("{}. 3600 IN TXT ( {} )\n", mail::DkimRecordName(key, dkim->domain),
                         QuotedTxt(key.public_record));
    out += "\n";
  }
  out += "; DMARC (RFC 7489): start by collecting reports, then tighten to p=quarantine and p=reject.\n" +
         fmt::format("_dmarc.{}. 3600 IN TXT \"v=DMARC1; p=none; adkim=r; aspf=r; "
                     "rua=mailto:dmarc-reports@{}\"\n",
                     from_domain, from_domain);
  return out;
}

}  // namespace twostep::app
