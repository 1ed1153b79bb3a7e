// Golden mails (issue #24): every mail in every language, rendered from
// fixed inputs, is compared with the committed files under
// tests/golden/mails/<lang>/<mail>.{txt,html}, which were read by a person.
// A change of wording shows up here as a diff to review. To regenerate after
// an intended change: TWOSTEP_UPDATE_GOLDEN=1 ./build/twostep_tests
// --gtest_filter='MailGolden*', then read the diff before committing.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "domain/mail_templates.h"
#include "i18n/messages.h"

namespace twostep::domain {
namespace {

namespace fs = std::filesystem;

// 2026-12-02T13:05:00Z: 14:05 in Prague, 21:05 in Taipei.
const Timestamp kAt = FromMillis(1796216700000);

// East Asian languages are shown in Taipei's zone, the others in Prague's.
MailLocale LocaleFor(std::string_view lang) {
  const bool east = lang == "zh-Hant" || lang == "zh-Hans" || lang == "ja";
  return {std::string(lang), east ? "Asia/Taipei" : "Europe/Prague"};
}

CodeRequester Requester(std::string_view lang) {
  return {"Pixel 8 (GKWS6, Android 15)", "kasa 3.4.1",
          "Praha, Hlavní město Praha, " + i18n::CountryName(lang, "CZ"), "203.0.113.5", kAt};
}

using Render = std::function<MailMessage(const MailLocale&)>;

std::vector<std::pair<std::string, Render>> Mails() {
  const std::string to = "ann@example.com";
  auto code = [to](CodePurpose purpose) {
    return [to, purpose](const MailLocale& l) {
      return VerificationCodeMail(l, to, "123456", purpose, 10);
    };
  };
  return {
      {"code_registration", code(CodePurpose::kRegistration)},
      {"code_enable_two_step", code(CodePurpose::kEnableTwoStep)},
      {"code_password_reset", code(CodePurpose::kPasswordReset)},
      {"code_sign_in", [to](const MailLocale& l) {
         const auto who = Requester(l.language);
         return VerificationCodeMail(l, to, "123456", CodePurpose::kSignIn, 10, &who);
       }},
      {"already_registered", [to](const MailLocale& l) { return AlreadyRegisteredMail(l, to); }},
      {"password_changed", [to](const MailLocale& l) { return PasswordChangedMail(l, to, kAt); }},
      {"two_step_off", [to](const MailLocale& l) { return TwoStepDisabledMail(l, to, kAt); }},
      {"two_step_on", [to](const MailLocale& l) { return TwoStepEnabledMail(l, to, kAt); }},
      {"wrong_codes", [to](const MailLocale& l) { return TooManyWrongCodesMail(l, to, 20); }},
      {"sign_in_denied", [to](const MailLocale& l) { return SignInDeniedMail(l, to); }},
      {"new_sign_in", [to](const MailLocale& l) { return NewSignInMail(l, to, Requester(l.language)); }},
  };
}

// The text part with the headers that depend on the language.
std::string TextFile(const MailMessage& m) {
  return "Subject: " + m.subject + "\nContent-Language: " + m.language + "\n\n" + m.text;
}

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

TEST(MailGoldenTest, EveryMailInEveryLanguageIsTheCommittedOne) {
  const fs::path dir = fs::path(TWOSTEP_SOURCE_DIR) / "tests/golden/mails";
  const bool update = std::getenv("TWOSTEP_UPDATE_GOLDEN") != nullptr;
  for (std::string_view lang : i18n::kLanguages) {
    for (const auto& [name, render] : Mails()) {
      const MailMessage m = render(LocaleFor(lang));
      EXPECT_EQ(m.language, lang);
      const fs::path base = dir / std::string(lang) / name;
      const std::pair<fs::path, std::string> files[] = {{base.string() + ".txt", TextFile(m)},
                                                        {base.string() + ".html", m.html + "\n"}};
      for (const auto& [path, text] : files) {
        if (update) Write(path, text);
        EXPECT_EQ(Read(path), text) << path << " differs (TWOSTEP_UPDATE_GOLDEN=1 rewrites it)";
      }
    }
  }
}

// What the goldens cannot show by themselves: no English is left in a
// translated mail (apart from names that are never translated).
TEST(MailGoldenTest, NoEnglishSentenceInATranslatedMail) {
  for (std::string_view lang : i18n::kLanguages) {
    if (lang == "en") continue;
    for (const auto& [name, render] : Mails()) {
      const MailMessage m = render(LocaleFor(lang));
      for (const char* english : {"Someone", "password", "device", "account", "If this", "verification", "Never"})
        EXPECT_EQ(m.text.find(english), std::string::npos) << lang << " " << name << ": " << english;
    }
  }
}

}  // namespace
}  // namespace twostep::domain
