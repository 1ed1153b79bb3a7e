#include "adapters/mail/mime_message.h"

#include <optional>

#include <gtest/gtest.h>

#include "domain/mail_templates.h"

namespace twostep::mail {
namespace {

OutgoingMail Sample() {
  return {"<outbox-1.2@example.com>", FromMillis(1'800'000'000'000),
          domain::VerificationCodeMail({}, "ann@example.com", "123456",
                                       domain::CodePurpose::kRegistration, 10)};
}

std::string Build(const OutgoingMail& mail, std::string_view from = "no-reply@example.com",
                  std::optional<std::string> subject = std::nullopt) {
  auto m = BuildMimeMessage(mail, from, subject.value_or(mail.message.subject));
  return m ? m->Text() : "";
}

TEST(MimeMessageTest, HasHeadersAndCrlf) {
  auto m = BuildMimeMessage(Sample(), "\"Kasa\" <no-reply@example.com>", "Verify your email");
  ASSERT_TRUE(m.ok());
  const std::string text = m->Text();
  for (const char* h : {"From: \"Kasa\" <no-reply@example.com>\r\n", "To: ann@example.com\r\n",
                        "Subject: Verify your email\r\n", "Date: ", "Message-ID: <outbox-1.2@example.com>\r\n",
                        "Auto-Submitted: auto-generated\r\n", "MIME-Version: 1.0\r\n",
                        "multipart/alternative", "text/plain; charset=utf-8", "text/html; charset=utf-8"})
    EXPECT_NE(text.find(h), std::string::npos) << h;
  for (size_t i = text.find('\n'); i != std::string::npos; i = text.find('\n', i + 1))
    EXPECT_EQ(text[i - 1], '\r');
}

TEST(MimeMessageTest, ContentLanguageIsTheMailsLanguage) {
  auto mail = Sample();
  mail.message.language = "zh-Hant";
  EXPECT_NE(Build(mail).find("\r\nContent-Language: zh-Hant\r\n"), std::string::npos);
  // Never anything but a known tag in the header.
  mail.message.language = "de\r\nBcc: evil@example.com";
  const std::string text = Build(mail);
  EXPECT_NE(text.find("\r\nContent-Language: en\r\n"), std::string::npos);
  EXPECT_EQ(text.find("Bcc"), std::string::npos);
}

TEST(MimeMessageTest, RefusesHeaderInjection) {
  auto mail = Sample();
  mail.message.to = "ann@example.com\r\nBcc: evil@example.com";
  EXPECT_EQ(Build(mail), "");
  EXPECT_EQ(Build(Sample(), "no-reply@example.com", "Hi\nBcc: evil@example.com"), "");
  EXPECT_EQ(Build(Sample(), "a@b.c\r\nX: y"), "");
}

TEST(MimeMessageTest, EncodesNonAsciiSubjects) {
  EXPECT_NE(Build(Sample(), "no-reply@example.com", "Bestätigen").find("Subject: =?UTF-8?B?"),
            std::string::npos);
}

TEST(MailTemplatesTest, CodeInBothPartsAndHtmlIsEscaped) {
  auto m = domain::VerificationCodeMail({}, "a@example.com", "654321", domain::CodePurpose::kSignIn, 10);
  EXPECT_NE(m.text.find("654321"), std::string::npos);
  EXPECT_NE(m.html.find("654321"), std::string::npos);
  EXPECT_EQ(domain::HtmlEscape("<script>\"x\"&'"), "&lt;script&gt;&quot;x&quot;&amp;&#39;");
  auto notice = domain::AlreadyRegisteredMail({}, "a@example.com");
  EXPECT_EQ(notice.text.find_first_of("0123456789"), std::string::npos);
}

}  // namespace
}  // namespace twostep::mail
