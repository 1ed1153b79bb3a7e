#include "domain/email_address.h"

#include <gtest/gtest.h>

namespace twostep::domain {
namespace {

TEST(EmailAddressTest, NormalisesCaseAndSpaces) {
  auto e = NormalizeEmail("  Ann.Lee+kasa@Example.COM ");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(*e, "ann.lee+kasa@example.com");
}

TEST(EmailAddressTest, RefusesMalformedAddresses) {
  for (const char* bad :
       {"", "plain", "a@b", "@example.com", "a@", "a@@example.com", "a b@example.com",
        "a@example..com", "a@-example.com", "a@example.123", "\"q\"@example.com",
        "a@example.com\r\nBcc: x@evil.com", "a\x01@example.com", ".a@example.com",
        "a..b@example.com", "ä@example.com"}) {
    auto e = NormalizeEmail(bad);
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_EQ(e.error().code, ErrorCode::kInvalidEmail);
  }
  EXPECT_FALSE(NormalizeEmail(std::string(65, 'a') + "@example.com").ok());
  EXPECT_FALSE(NormalizeEmail("a@" + std::string(250, 'b') + ".com").ok());
}

TEST(EmailAddressTest, MailboxDropsThePlusTagAndCase) {
  EXPECT_EQ(MailboxOf("ann+x@example.com"), "ann@example.com");
  EXPECT_EQ(MailboxOf("Ann+Kasa+2@Example.COM"), "ann@example.com");  // from the first +
  EXPECT_EQ(MailboxOf("ann@example.com"), "ann@example.com");
  EXPECT_EQ(MailboxOf("ann+@example.com"), "ann@example.com");
  // The domain keeps its '+'-free form; a '+' there is not a tag.
  EXPECT_EQ(MailboxOf("ann@ex+ample.com"), "ann@ex+ample.com");
  // A local part that is all tag stays whole: stripping would leave none.
  EXPECT_EQ(MailboxOf("+x@example.com"), "+x@example.com");
  EXPECT_EQ(MailboxOf("no-at-sign"), "no-at-sign");
}

TEST(EmailAddressTest, MasksTheLocalPart) {
  EXPECT_EQ(MaskEmail("jonathan@example.com"), "j***@example.com");
  EXPECT_EQ(MaskEmail("j@example.com"), "j***@example.com");
}

}  // namespace
}  // namespace twostep::domain
