// The emails twostep sends, as pure functions of their inputs. Every value
// put into the HTML part is escaped; subjects are fixed text naming the app
// with kAppNamePlaceholder (domain/mail.h), which the mail adapter fills
// with the app's display name ("Your Kasa verification code").
#pragma once

#include <string>
#include <string_view>

#include "base/time.h"
#include "domain/mail.h"

namespace twostep::domain {

enum class CodePurpose { kRegistration, kEnableTwoStep, kSignIn, kPasswordReset };

// Who asked for a sign-in code, as the code mail names it (U8): device
// "Pixel 8 (GKWS6, Android 15)", app "kasa 3.4.1", place text or "Unknown".
struct CodeRequester {
  std::string device;
  std::string app;
  std::string where;
  std::string ip;
};

// The verification code mail; `minutes` is how long the code is valid.
// `requester` (sign-in codes) is named under the intro.
MailMessage VerificationCodeMail(std::string_view to, std::string_view code, CodePurpose purpose,
                                 int minutes, const CodeRequester* requester = nullptr);
// Somebody tried to register with an address that already has an account.
MailMessage AlreadyRegisteredMail(std::string_view to);
MailMessage PasswordChangedMail(std::string_view to, Timestamp when);
MailMessage TwoStepDisabledMail(std::string_view to, Timestamp when);
MailMessage TwoStepEnabledMail(std::string_view to, Timestamp when);
MailMessage TooManyWrongCodesMail(std::string_view to, int count);
MailMessage SignInDeniedMail(std::string_view to);
// A device the account had never seen completed a sign-in. `where` is a
// location text or "Unknown".
MailMessage NewSignInMail(std::string_view to, std::string_view device, std::string_view app,
                          Timestamp when, std::string_view where, std::string_view ip);

// &, <, >, " and ' as entities.
std::string HtmlEscape(std::string_view text);

}  // namespace twostep::domain
