#include "domain/mail_templates.h"

#include <vector>

namespace twostep::domain {

namespace {

// One mail from paragraphs: plain text joined by blank lines, HTML as <p>s.
// `emphasis` (a code) is shown on its own line, large in HTML.
MailMessage Compose(std::string_view to, std::string subject,
                    const std::vector<std::string>& before, std::string_view emphasis,
                    const std::vector<std::string>& after) {
  MailMessage m;
  m.to = std::string(to);
  m.subject = std::move(subject);
  std::string html =
      "<!doctype html><html><body style=\"font-family:sans-serif;line-height:1.5\">";
  auto add = [&](const std::string& p) {
    m.text += p + "\n\n";
    html += "<p>" + HtmlEscape(p) + "</p>";
  };
  for (const auto& p : before) add(p);
  if (!emphasis.empty()) {
    m.text += "    " + std::string(emphasis) + "\n\n";
    html += "<p style=\"font-size:28px;letter-spacing:6px;font-weight:bold\">" +
            HtmlEscape(emphasis) + "</p>";
  }
  for (const auto& p : after) add(p);
  m.text += "-- \ntwostep account security\n";
  html += "<p style=\"color:#666\">twostep account security</p></body></html>";
  m.html = std::move(html);
  return m;
}

std::string When(Timestamp t) {
  auto s = FormatRfc3339(t);
  return s.substr(0, 10) + " " + s.substr(11, 5) + " UTC";
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

MailMessage VerificationCodeMail(std::string_view to, std::string_view code, CodePurpose purpose,
                                 int minutes, const CodeRequester* requester) {
  std::string subject, intro;
  switch (purpose) {
    case CodePurpose::kRegistration:
      subject = "Verify your email address for {app}";
      intro = "Enter this code in the app to finish creating your account:";
      break;
    case CodePurpose::kEnableTwoStep:
      subject = "Your {app} code to turn on Two-Step Verification";
      intro = "Enter this code to turn on Two-Step Verification:";
      break;
    case CodePurpose::kSignIn:
      subject = "Your {app} sign-in verification code";
      intro = "Someone signed in to your account with your password on a new device. "
              "If it was you, enter this code on that device:";
      break;
    case CodePurpose::kPasswordReset:
      subject = "Your {app} password reset code";
      intro = "Enter this code to choose a new password:";
      break;
  }
  std::vector<std::string> after{"The code expires in " + std::to_string(minutes) +
                                 " minutes and works once. Never share it with anyone."};
  if (purpose == CodePurpose::kSignIn || purpose == CodePurpose::kPasswordReset)
    after.push_back("If this wasn't you, do not enter the code and change your password now.");
  else
    after.push_back("If you did not ask for this, you can ignore this email.");
  std::vector<std::string> before{intro};
  if (requester)
    before.insert(before.begin(), "Device: " + requester->device + "\nApp: " + requester->app +
                                      "\nApproximate location: " + requester->where +
                                      " (IP address " + requester->ip + ")");
  return Compose(to, subject, before, code, after);
}

MailMessage AlreadyRegisteredMail(std::string_view to) {
  return Compose(to, "Someone tried to create a {app} account with your email", {
      "Someone tried to create a new account with this email address, but you already "
      "have one.",
      "If it was you, sign in with your password, or use \"Forgot password\" to reset it.",
      "If it wasn't you, no action is needed: nothing about your account changed."}, "", {});
}

MailMessage PasswordChangedMail(std::string_view to, Timestamp when) {
  return Compose(to, "Your {app} password was changed", {
      "The password of your account was changed on " + When(when) + ".",
      "If this wasn't you, reset your password now with \"Forgot password\" and review "
      "your trusted devices."}, "", {});
}

MailMessage TwoStepDisabledMail(std::string_view to, Timestamp when) {
  return Compose(to, "{app}: Two-Step Verification was turned off", {
      "Two-Step Verification was turned off for your account on " + When(when) + ".",
      "New devices can now sign in with your password alone. If this wasn't you, change "
      "your password and turn Two-Step Verification back on."}, "", {});
}

MailMessage TwoStepEnabledMail(std::string_view to, Timestamp when) {
  return Compose(to, "{app}: Two-Step Verification was turned on", {
      "Two-Step Verification was turned on for your account on " + When(when) + ".",
      "New devices now need a code from a trusted device or your email. If this wasn't you, "
      "change your password and check your Trusted Devices."}, "", {});
}

MailMessage TooManyWrongCodesMail(std::string_view to, int count) {
  return Compose(to, "Many wrong verification codes were entered for your {app} account", {
      std::to_string(count) + " wrong verification codes in a row were entered for your "
      "account. Someone may know your password.",
      "Change your password now."}, "", {});
}

MailMessage SignInDeniedMail(std::string_view to) {
  return Compose(to, "You denied a {app} sign-in: change your password", {
      "You told us a sign-in attempt was not you, so we blocked it.",
      "Whoever tried knows your password: change it now, and use a password you don't use "
      "anywhere else."}, "", {});
}

MailMessage NewSignInMail(std::string_view to, std::string_view device, std::string_view app,
                          Timestamp when, std::string_view where, std::string_view ip) {
  return Compose(to, "New sign-in to your {app} account", {
      "Your account was just used to sign in on a new device.",
      "Device: " + std::string(device) + "\nApp: " + std::string(app) + "\nTime: " + When(when) +
          "\nApproximate location: " + std::string(where) + " (IP address " + std::string(ip) + ")",
      "If this was you, there is nothing to do.",
      "If it wasn't you, change your password now and remove the device from Trusted Devices "
      "under Me > View account > Login Security."}, "", {});
}

}  // namespace twostep::domain
