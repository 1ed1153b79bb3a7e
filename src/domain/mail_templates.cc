#include "domain/mail_templates.h"

#include <vector>

#include "i18n/messages.h"

namespace twostep::domain {

namespace {

// The words of one mail in its reader's language.
class Words {
 public:
  explicit Words(const MailLocale& locale)
      : lang_(i18n::IsLanguage(locale.language) ? locale.language : std::string(i18n::kDefaultLanguage)),
        zone_(i18n::IsTimeZone(locale.time_zone) ? locale.time_zone : std::string(i18n::kDefaultTimeZone)) {}

  std::string operator()(std::string_view key, const i18n::Args& args = {}) const {
    return i18n::Format(lang_, key, args);
  }
  // A subject: the app's name stays kAppNamePlaceholder for the adapter.
  std::string Subject(std::string_view key) const {
    return i18n::Format(lang_, key, {{"app", std::string(kAppNamePlaceholder)}});
  }
  std::string Time(Timestamp at) const { return i18n::FormatInstant(lang_, zone_, at); }
  const std::string& lang() const { return lang_; }

 private:
  std::string lang_;
  std::string zone_;
};

// One mail from paragraphs: plain text joined by blank lines, HTML as <p>s
// (a paragraph's line breaks as <br>). `emphasis` (a code) is shown on its
// own line, large in HTML.
MailMessage Compose(const Words& words, std::string_view to, std::string subject,
                    const std::vector<std::string>& before, std::string_view emphasis = {},
                    const std::vector<std::string>& after = {}) {
  MailMessage m;
  m.to = std::string(to);
  m.subject = std::move(subject);
  m.language = words.lang();
  std::string html = "<!doctype html><html lang=\"" + HtmlEscape(words.lang()) +
                     "\"><body style=\"font-family:sans-serif;line-height:1.5\">";
  auto add = [&](const std::string& p) {
    m.text += p + "\n\n";
    std::string escaped = HtmlEscape(p);
    for (size_t at = escaped.find('\n'); at != std::string::npos; at = escaped.find('\n', at))
      escaped.replace(at, 1, "<br>");
    html += "<p>" + escaped + "</p>";
  };
  for (const auto& p : before) add(p);
  if (!emphasis.empty()) {
    m.text += "    " + std::string(emphasis) + "\n\n";
    html += "<p style=\"font-size:28px;letter-spacing:6px;font-weight:bold\">" +
            HtmlEscape(emphasis) + "</p>";
  }
  for (const auto& p : after) add(p);
  const std::string footer = words("mail.footer");
  m.text += "-- \n" + footer + "\n";
  html += "<p style=\"color:#666\">" + HtmlEscape(footer) + "</p></body></html>";
  m.html = std::move(html);
  return m;
}

// Device, app, time and place of a request, one per line.
std::string RequesterLines(const Words& words, const CodeRequester& r) {
  const std::string device = r.device.empty() ? words("mail.requester.unnamed_device") : r.device;
  const std::string place = r.where.empty() ? words("mail.requester.unknown_place") : r.where;
  return words("mail.requester.device", {{"device", device}}) + "\n" +
         words("mail.requester.app", {{"client", r.app.empty() ? "-" : r.app}}) + "\n" +
         words("mail.requester.time", {{"time", words.Time(r.at)}}) + "\n" +
         words("mail.requester.place", {{"place", place}, {"ip", r.ip}});
}

std::string_view PurposeKey(CodePurpose purpose) {
  switch (purpose) {
    case CodePurpose::kRegistration: return "registration";
    case CodePurpose::kEnableTwoStep: return "enable_two_step";
    case CodePurpose::kSignIn: return "sign_in";
    case CodePurpose::kPasswordReset: return "password_reset";
  }
  return "sign_in";
}

// A notice that something changed at `when`: subject, what happened, advice.
MailMessage ChangeNotice(const MailLocale& locale, std::string_view to, std::string_view name,
                         Timestamp when) {
  const Words words(locale);
  const std::string key = "mail." + std::string(name);
  return Compose(words, to, words.Subject(key + ".subject"),
                 {words(key + ".body", {{"time", words.Time(when)}}), words(key + ".advice")});
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

MailMessage VerificationCodeMail(const MailLocale& locale, std::string_view to,
                                 std::string_view code, CodePurpose purpose, int minutes,
                                 const CodeRequester* requester) {
  const Words words(locale);
  const std::string key = "mail.code." + std::string(PurposeKey(purpose));
  std::vector<std::string> before;
  if (requester) before.push_back(RequesterLines(words, *requester));
  before.push_back(words(key + ".intro"));
  const bool act = purpose == CodePurpose::kSignIn || purpose == CodePurpose::kPasswordReset;
  return Compose(words, to, words.Subject(key + ".subject"), before, code,
                 {words("mail.code.expiry", {{"minutes", minutes}}),
                  words(act ? "mail.code.not_you_act" : "mail.code.not_you_ignore")});
}

MailMessage AlreadyRegisteredMail(const MailLocale& locale, std::string_view to) {
  const Words words(locale);
  return Compose(words, to, words.Subject("mail.already_registered.subject"),
                 {words("mail.already_registered.body"), words("mail.already_registered.if_you"),
                  words("mail.already_registered.if_not_you")});
}

MailMessage PasswordChangedMail(const MailLocale& locale, std::string_view to, Timestamp when) {
  return ChangeNotice(locale, to, "password_changed", when);
}

MailMessage TwoStepDisabledMail(const MailLocale& locale, std::string_view to, Timestamp when) {
  return ChangeNotice(locale, to, "two_step_off", when);
}

MailMessage TwoStepEnabledMail(const MailLocale& locale, std::string_view to, Timestamp when) {
  return ChangeNotice(locale, to, "two_step_on", when);
}

MailMessage TooManyWrongCodesMail(const MailLocale& locale, std::string_view to, int count) {
  const Words words(locale);
  return Compose(words, to, words.Subject("mail.wrong_codes.subject"),
                 {words("mail.wrong_codes.body", {{"count", count}}), words("mail.wrong_codes.advice")});
}

MailMessage SignInDeniedMail(const MailLocale& locale, std::string_view to) {
  const Words words(locale);
  return Compose(words, to, words.Subject("mail.denied.subject"),
                 {words("mail.denied.body"), words("mail.denied.advice")});
}

MailMessage NewSignInMail(const MailLocale& locale, std::string_view to, const CodeRequester& who) {
  const Words words(locale);
  return Compose(words, to, words.Subject("mail.new_sign_in.subject"),
                 {words("mail.new_sign_in.intro"), RequesterLines(words, who),
                  words("mail.new_sign_in.if_you"), words("mail.new_sign_in.if_not_you")});
}

}  // namespace twostep::domain
