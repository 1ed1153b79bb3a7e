#include "adapters/mail/smtp_transport.h"

#include <cstring>
#include <mutex>

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include "adapters/mail/mime_message.h"
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

// The address inside "Name <addr>" or the string itself.
std::string Envelope(const std::string& from) {
  auto lt = from.find('<');
  auto gt = from.find('>', lt == std::string::npos ? 0 : lt);
  if (lt != std::string::npos && gt != std::string::npos) return from.substr(lt, gt - lt + 1);
  return "<" + from + ">";
}

}  // namespace

SmtpTransport::SmtpTransport(SmtpSettings settings) : settings_(std::move(settings)) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Result<void> SmtpTransport::Send(const OutgoingMail& mail) {
  auto text = BuildMimeMessage(mail, settings_.from);
  if (!text) return std::move(text).error();
  CURL* curl = curl_easy_init();
  if (!curl) return Error::Unavailable("smtp: cannot create a curl handle", seconds(5));
  Upload upload{&*text};
  const std::string from = Envelope(settings_.from);
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
  // STARTTLS when offered on smtp://; required by the scheme on smtps://.
  curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  if (!settings_.user.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, settings_.user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, settings_.password.c_str());
  }
  CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK)
    return Error::Unavailable(std::string("smtp: ") + curl_easy_strerror(rc), seconds(5));
  spdlog::info(R"({{"event":"mail_sent","to":"{}","subject":"{}"}})",
               domain::MaskEmail(mail.message.to), mail.message.subject);
  return Ok();
}

}  // namespace twostep::mail
