// The emails twostep sends, as pure functions of their inputs. Every word
// comes from the catalog (locales/<lang>/mail.json, docs/I18N.md) in the
// reader's language; times are shown in the reader's time zone with the
// zone's name. Every value put into the HTML part is escaped; subjects name
// the app with kAppNamePlaceholder (domain/mail.h), which the mail adapter
// fills with the app's display name ("Your Kasa verification code").
#pragma once

#include <string>
#include <string_view>

#include "base/time.h"
#include "domain/account.h"
#include "domain/mail.h"

namespace twostep::domain {

// Whom a mail is written for: a language of i18n::kLanguages and an IANA
// time zone (an account's `locale` and `time_zone`, U17). Unknown values
// read as English and UTC.
struct MailLocale {
  std::string language = "en";
  std::string time_zone = "UTC";
};
inline MailLocale MailLocaleOf(const Account& account) { return {account.locale, account.time_zone}; }

enum class CodePurpose { kRegistration, kEnableTwoStep, kSignIn, kPasswordReset };

// Who asked for a sign-in code, as the code mail names it (U8): device
// "Pixel 8 (GKWS6, Android 15)" (empty: unnamed), app "kasa 3.4.1" (empty:
// none), place text (empty: unknown), IP address and the time of the request.
struct CodeRequester {
  std::string device;
  std::string app;
  std::string where;
  std::string ip;
  Timestamp at;
};

// The verification code mail; `minutes` is how long the code is valid.
// `requester` (sign-in codes) is named above the intro.
MailMessage VerificationCodeMail(const MailLocale& locale, std::string_view to,
                                 std::string_view code, CodePurpose purpose, int minutes,
                                 const CodeRequester* requester = nullptr);
// Somebody tried to register with an address that already has an account.
MailMessage AlreadyRegisteredMail(const MailLocale& locale, std::string_view to);
MailMessage PasswordChangedMail(const MailLocale& locale, std::string_view to, Timestamp when);
MailMessage TwoStepDisabledMail(const MailLocale& locale, std::string_view to, Timestamp when);
MailMessage TwoStepEnabledMail(const MailLocale& locale, std::string_view to, Timestamp when);
MailMessage TooManyWrongCodesMail(const MailLocale& locale, std::string_view to, int count);
MailMessage SignInDeniedMail(const MailLocale& locale, std::string_view to);
// A device the account had never seen completed a sign-in: `who` names it
// (device, app, place, IP address, time) as in the code mail.
MailMessage NewSignInMail(const MailLocale& locale, std::string_view to, const CodeRequester& who);

// &, <, >, " and ' as entities.
std::string HtmlEscape(std::string_view text);

}  // namespace twostep::domain
