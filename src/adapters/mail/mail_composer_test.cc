// The composition of a mail: sender identity per app, the subject naming
// the app, the headers of an automatic sender, and DKIM signatures on top.
// The signatures are verified by an independent implementation (dkimpy) in
// tests/integration/test_mail.py; here: that both are there, for the right
// domain and selectors, at the clock's time.
#include "adapters/mail/mail_composer.h"

#include <gtest/gtest.h>

#include "adapters/mail/smtp_transport.h"
#include "domain/mail_templates.h"
#include "testing/fakes.h"
#include "testing/pem_keys.h"
#include "testing/temp_dir.h"

namespace twostep::mail {
namespace {

using twostep::testing::KeyType;
using twostep::testing::WritePrivateKeyPem;

OutgoingMail SampleMail(std::string app) {
  OutgoingMail m{"<outbox-7.1800000000000@example.com>", FromMillis(1'800'000'000'000),
                 domain::VerificationCodeMail({}, "ann@example.com", "123456",
                                              domain::CodePurpose::kSignIn, 10),
                 std::move(app)};
  return m;
}

SenderIdentity Identity() {
  return {"no-reply@example.com", {{"kasa", "Kasa"}, {"aginet", "Aginet Wi-Fi"}}};
}

class MailComposerTest : public ::testing::Test {
 protected:
  twostep::testing::ManualClock clock_;
  twostep::testing::TempDir dir_;
};

TEST_F(MailComposerTest, FromAndSubjectNameTheApp) {
  MailComposer composer(Identity(), nullptr, clock_);
  auto text = composer.Compose(SampleMail("kasa"));
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("From: \"Kasa\" <no-reply@example.com>\r\n"), std::string::npos);
  EXPECT_NE(text->find("Subject: Your Kasa sign-in verification code\r\n"), std::string::npos);
  EXPECT_NE(text->find("Auto-Submitted: auto-generated\r\n"), std::string::npos);
  EXPECT_EQ(text->find("DKIM-Signature"), std::string::npos);  // no keys: unsigned
}

TEST_F(MailComposerTest, AnUnknownAppGetsTheGenericNameNeverItsOwnText) {
  MailComposer composer(Identity(), nullptr, clock_);
  auto text = composer.Compose(SampleMail("Your Bank"));
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("From: \"twostep\" <no-reply@example.com>\r\n"), std::string::npos);
  EXPECT_EQ(text->find("Your Bank"), std::string::npos);
}

TEST_F(MailComposerTest, DisplayNamesAreQuotedOrEncoded) {
  EXPECT_EQ(FromHeader("Ann \"A\" \\ Co", "a@b.c"), "\"Ann \\\"A\\\" \\\\ Co\" <a@b.c>");
  EXPECT_EQ(FromHeader("Čeština", "a@b.c").rfind("=?UTF-8?B?", 0), 0u);
}

TEST_F(MailComposerTest, RefusesAFromThatIsNotAPlainAddress) {
  auto with_from = [](std::string from) {
    auto id = Identity();
    id.address = std::move(from);
    return id;
  };
  EXPECT_THROW(MailComposer(with_from("Kasa <no-reply@example.com>"), nullptr, clock_),
               std::runtime_error);
  EXPECT_THROW(MailComposer(with_from("no-reply@example.com\r\nBcc: x@y.z"), nullptr, clock_),
               std::runtime_error);
  auto bad_name = Identity();
  bad_name.app_names["kasa"] = "Kasa\r\nBcc: x@y.z";
  EXPECT_THROW(MailComposer(bad_name, nullptr, clock_), std::runtime_error);
}

TEST_F(MailComposerTest, SignsWithRsaAndEd25519AtTheClocksTime) {
  DkimSettings dkim;
  dkim.domain = "example.com";
  dkim.keys.push_back(LoadDkimKey(WritePrivateKeyPem(dir_.path(), KeyType::kRsa2048, "rsa.pem"),
                                  DkimAlgorithm::kRsaSha256, "rsa1"));
  dkim.keys.push_back(LoadDkimKey(WritePrivateKeyPem(dir_.path(), KeyType::kEd25519, "ed.pem"),
                                  DkimAlgorithm::kEd25519Sha256, "ed1"));
  MailComposer composer(Identity(), std::make_unique<DkimSigner>(std::move(dkim)), clock_);
  auto text = composer.Compose(SampleMail("kasa"));
  ASSERT_TRUE(text.ok());
  ASSERT_EQ(text->rfind("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com;", 0), 0u);
  const auto second = text->find("\r\nDKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;");
  EXPECT_NE(second, std::string::npos);
  EXPECT_NE(text->find("s=rsa1;"), std::string::npos);
  EXPECT_NE(text->find("s=ed1;"), std::string::npos);
  EXPECT_NE(text->find("t=1800000000;"), std::string::npos);  // ManualClock's start
  // Folded with CRLF: no bare LF anywhere.
  for (size_t i = text->find('\n'); i != std::string::npos; i = text->find('\n', i + 1))
    ASSERT_EQ((*text)[i - 1], '\r');
}

TEST_F(MailComposerTest, KeysAreCheckedAndGiveTheirDnsRecords) {
  const auto rsa = WritePrivateKeyPem(dir_.path(), KeyType::kRsa2048, "rsa.pem");
  const auto ed = WritePrivateKeyPem(dir_.path(), KeyType::kEd25519, "ed.pem");
  auto key = LoadDkimKey(rsa, DkimAlgorithm::kRsaSha256, "sel");
  EXPECT_EQ(key.public_record.rfind("v=DKIM1; k=rsa; p=MIIBIjAN", 0), 0u);  // SPKI of RSA 2048
  EXPECT_EQ(DkimRecordName(key, "example.com"), "sel._domainkey.example.com");
  auto edkey = LoadDkimKey(ed, DkimAlgorithm::kEd25519Sha256, "sel2");
  EXPECT_EQ(edkey.public_record.rfind("v=DKIM1; k=ed25519; p=", 0), 0u);
  EXPECT_EQ(edkey.public_record.size(), std::string("v=DKIM1; k=ed25519; p=").size() + 44);
  EXPECT_THROW(LoadDkimKey(ed, DkimAlgorithm::kRsaSha256, "sel"), std::runtime_error);
  EXPECT_THROW(LoadDkimKey(rsa, DkimAlgorithm::kEd25519Sha256, "sel"), std::runtime_error);
  EXPECT_THROW(LoadDkimKey(rsa, DkimAlgorithm::kRsaSha256, "bad selector;"), std::runtime_error);
  EXPECT_THROW(LoadDkimKey(dir_.path() + "/missing.pem", DkimAlgorithm::kRsaSha256, "sel"),
               std::runtime_error);
  try {
    LoadDkimKey(ed, DkimAlgorithm::kRsaSha256, "sel");
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).find("PRIVATE"), std::string::npos);  // no key material
  }
}

TEST(SmtpFailureTest, OnlyA5xxToTheRecipientOrTheMessageIsPermanent) {
  using O = MailDelivery::Outcome;
  EXPECT_EQ(ClassifySmtpFailure(SmtpStage::kRcpt, 550), O::kRejected);
  EXPECT_EQ(ClassifySmtpFailure(SmtpStage::kRcpt, 553), O::kRejected);
  EXPECT_EQ(ClassifySmtpFailure(SmtpStage::kData, 554), O::kRejected);
  EXPECT_EQ(ClassifySmtpFailure(SmtpStage::kRcpt, 450), O::kRetry);   // greylisting
  EXPECT_EQ(ClassifySmtpFailure(SmtpStage::kData, 451), O::kRetry);
  EXPECT_EQ(ClassifySmtpFailure(SmtpStage::kMailFrom, 550), O::kRetry);  // our set-up
  EXPECT_EQ(ClassifySmtpFailure(SmtpStage::kOther, 535), O::kRetry);     // AUTH
  EXPECT_EQ(ClassifySmtpFailure(SmtpStage::kOther, 0), O::kRetry);       // no answer
}

TEST(AppNameTest, FillsEveryPlaceholder) {
  EXPECT_EQ(FillAppName("Your {app} code for {app}", "Kasa"), "Your Kasa code for Kasa");
  EXPECT_EQ(FillAppName("No name", "Kasa"), "No name");
}

}  // namespace
}  // namespace twostep::mail
