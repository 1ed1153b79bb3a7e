#include "adapters/mail/mime_message.h"

#include <gtest/gtest.h>

#include "domain/mail_templates.h"

namespace twostep::mail {
namespace {

OutgoingMail Sample() {
  return {"<outbox-1.2@example.com>", FromMillis(1'800'000'000'000),
          domain::VerificationCodeMail("ann@example.com", "123456",
                                       domain::CodePurpose::kRegistration, 10)};
}

TEST(MimeMessageTest, HasHeadersAndCrlf) {
  auto m = BuildMimeMessage(Sample(), "twostep <no-reply@example.com>");
  ASSERT_TRUE(m.ok());
  for (const char* h : {"From: twostep <no-reply@example.com>\r\n", "To: ann@example.com\r\n",
                        "Subject: Verify your email address\r\n", "Date: ", "Message-ID: <outbox-1.2@example.com>\r\n",
                        "MIME-Version: 1.0\r\n", "multipart/alternative", "text/plain; charset=utf-8",
                        "text/html; charset=utf-8"})
    EXPECT_NE(m->find(h), std::string::npos) << h;
  for (size_t i = m->find('\n'); i != std::string::npos; i = m->find('\n', i + 1))
    EXPECT_EQ((*m)[i - 1], '\r');
}

TEST(MimeMessageTest, RefusesHeaderInjection) {
  auto mail = Sample();
  mail.message.to = "ann@example.com\r\nBcc: evil@example.com";
  EXPECT_FALSE(BuildMimeMessage(mail, "no-reply@example.com").ok());
  mail = Sample();
  mail.message.subject = "Hi\nBcc: evil@example.com";
  EXPECT_FALSE(BuildMimeMessage(mail, "no-reply@example.com").ok());
  EXPECT_FALSE(BuildMimeMessage(Sample(), "a@b.c\r\nX: y").ok());
}

TEST(MimeMessageTest, EncodesNonAsciiSubjects) {
  auto mail = Sample();
  mail.message.subject = "Bestätigen";
  auto m = BuildMimeMessage(mail, "no-reply@example.com");
  ASSERT_TRUE(m.ok());
  EXPECT_NE(m->find("Subject: =?UTF-8?B?"), std::string::npos);
}

TEST(MailTemplatesTest, CodeInBothPartsAndHtmlIsEscaped) {
  auto m = domain::VerificationCodeMail("a@example.com", "654321", domain::CodePurpose::kSignIn, 10);
  EXPECT_NE(m.text.find("654321"), std::string::npos);
  EXPECT_NE(m.html.find("654321"), std::string::npos);
  EXPECT_EQ(domain::HtmlEscape("<script>\"x\"&'"), "&lt;script&gt;&quot;x&quot;&amp;&#39;");
  auto notice = domain::AlreadyRegisteredMail("a@example.com");
  EXPECT_EQ(notice.text.find_first_of("0123456789"), std::string::npos);
}

}  // namespace
}  // namespace twostep::mail
