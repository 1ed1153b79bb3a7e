#include "adapters/mail/smtp_transport.h"

#include <cstring>
#include <mutex>

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include "domain/email_address.h"

namespace twostep::mail {

namespace {

struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t ReadChunk(char* buffer, size_t size, size_t nitems, void* userdata) {
  auto* up = static_cast<Upload*>(userdata);
  size_t room = size * nitems;
  size_t left = up->data->size() - up->offset;
  size_t n = std::min(room, left);
  std::memcpy(buffer, up->data->data() + up->offset, n);
  up->offset += n;
  return n;
}

// curl reports a failed exchange with one error for several commands
// (CURLE_SEND_ERROR for a refused MAIL FROM, RCPT or DATA); the command it
// sent last tells which. Only the verb is looked at: an AUTH line holds
// credentials and is neither kept nor logged.
int RememberCommand(CURL*, curl_infotype type, char* data, size_t size, void* userdata) {
  if (type != CURLINFO_HEADER_OUT || size < 4) return 0;
  auto* stage = static_cast<SmtpStage*>(userdata);
  auto starts = [&](const char* verb) { return strncasecmp(data, verb, std::strlen(verb)) == 0; };
  // QUIT and RSET close or reset a session after its outcome: they do not
  // change which command was refused.
  if (starts("QUIT") || starts("RSET")) return 0;
  if (starts("MAIL")) *stage = SmtpStage::kMailFrom;
  else if (starts("RCPT")) *stage = SmtpStage::kRcpt;
  else if (starts("DATA")) *stage = SmtpStage::kData;
  else *stage = SmtpStage::kOther;
  return 0;
}

}  // namespace

MailDelivery::Outcome ClassifySmtpFailure(SmtpStage stage, long reply_code) {
  const bool permanent = reply_code >= 500 && reply_code < 600;
  if (permanent && (stage == SmtpStage::kRcpt || stage == SmtpStage::kData))
    return MailDelivery::Outcome::kRejected;
  return MailDelivery::Outcome::kRetry;
}

SmtpTransport::SmtpTransport(SmtpSettings settings, const MailComposer& composer)
    : settings_(std::move(settings)), composer_(composer) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

MailDelivery SmtpTransport::Send(const OutgoingMail& mail) {
  auto text = composer_.Compose(mail);
  if (!text) return MailDelivery::Retry(text.error().detail);
  CURL* curl = curl_easy_init();
  if (!curl) return MailDelivery::Retry("smtp: cannot create a curl handle");
  Upload upload{&*text};
  SmtpStage stage = SmtpStage::kOther;
  const std::string from = "<" + composer_.envelope_from() + ">";
  const std::string to = "<" + mail.message.to + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, to.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, settings_.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadChunk);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(settings_.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, RememberCommand);
  curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &stage);
  curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);  // feeds RememberCommand only
  // STARTTLS when offered on smtp://; required by the scheme on smtps://.
  curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  if (!settings_.user.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, settings_.user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, settings_.password.c_str());
  }
  CURLcode rc = curl_easy_perform(curl);
  long reply = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
  const SmtpStage refused_at = stage;  // before the cleanup's QUIT
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    const std::string detail =
        std::string("smtp: ") + curl_easy_strerror(rc) + " (reply " + std::to_string(reply) + ")";
    if (ClassifySmtpFailure(refused_at, reply) == MailDelivery::Outcome::kRejected)
      return MailDelivery::Rejected(detail);
    return MailDelivery::Retry(detail);
  }
  spdlog::info(R"({{"event":"mail_sent","to":"{}","subject":"{}"}})",
               domain::MaskEmail(mail.message.to),
               FillAppName(mail.message.subject, composer_.AppName(mail.app)));
  return MailDelivery::Sent();
}

}  // namespace twostep::mail
