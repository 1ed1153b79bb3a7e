// The mail pieces built from the configuration: sender identity per app,
// the DKIM keys, the composer and the transport (files or SMTP); and the
// text of `twostepd mail-dns`, the DNS records an operator publishes for
// that configuration. Start-up code: throws ConfigError for settings that
// cannot work (a missing or wrong key file, a half-configured DKIM).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "adapters/mail/mail_composer.h"
#include "app/config.h"
#include "ports/clock.h"
#include "ports/mail_transport.h"

namespace twostep::app {

// Display names of the configured apps (display_name, else the app id).
mail::SenderIdentity IdentityFromConfig(const Config& config);

// The DKIM keys of mail.dkim_*, loaded and checked; nullopt when
// mail.dkim_domain is empty. The RSA key is required when DKIM is on; the
// Ed25519 selector and key file go together.
std::optional<mail::DkimSettings> DkimFromConfig(const Config& config);

// The domain part of mail.from ("localhost" when it has none).
std::string MailDomain(const std::string& from);

struct MailStack {
  std::unique_ptr<mail::MailComposer> composer;
  std::unique_ptr<MailTransport> transport;  // uses *composer
};
MailStack OpenMail(const Config& config, const Clock& clock);
// The transport of `config` (files, or SMTP) writing what `composer` makes;
// also what a reload of the mail.smtp_* keys swaps in.
std::unique_ptr<MailTransport> OpenTransport(const Config& config,
                                             const mail::MailComposer& composer);

// What `twostepd mail-dns` prints: SPF, the DKIM TXT record of each key
// (from the public key derived from the private key file), and a DMARC
// policy to start with, in zone-file form with comments.
std::string MailDnsRecords(const Config& config);

}  // namespace twostep::app
