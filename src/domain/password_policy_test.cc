#include "domain/password_policy.h"

#include <gtest/gtest.h>

#include "i18n/messages.h"
#include "testing/fakes.h"

namespace twostep::domain {
namespace {

const PasswordRules kRules;

PasswordStrength Eval(std::string_view pw, std::string_view email = "") {
  auto n = NormalizePassword(pw);
  EXPECT_TRUE(n.ok());
  return EvaluatePassword(*n, email, kRules);
}

TEST(PasswordPolicyTest, NfkcFoldsCompatibilityForms) {
  auto a = NormalizePassword("\xef\xbd\x90\xef\xbd\x81\xef\xbd\x93\xef\xbd\x93");  // ｐａｓｓ
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->Reveal(), "pass");
  auto b = NormalizePassword("\xef\xac\x81");  // ﬁ ligature
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->Reveal(), "fi");
}

TEST(PasswordPolicyTest, RefusesInvalidUtf8AndControls) {
  EXPECT_FALSE(NormalizePassword("abc\xff\xfe").ok());
  EXPECT_FALSE(NormalizePassword(std::string("abc\0def", 7)).ok());
  EXPECT_FALSE(NormalizePassword("abc\ndef").ok());
  EXPECT_FALSE(NormalizePassword("abc\xc2\x85zz").ok());  // NEL, a C1 control
}

TEST(PasswordPolicyTest, LengthBounds) {
  EXPECT_FALSE(Eval("Xk7#pQ2").acceptable);  // 7
  EXPECT_NE(Eval("Xk7#pQ2").warning.find("8"), std::string::npos);
  EXPECT_FALSE(Eval(std::string(129, 'x')).acceptable);
}

TEST(PasswordPolicyTest, CommonPasswordsAreWeak) {
  auto s = Eval("password123");
  EXPECT_FALSE(s.acceptable);
  EXPECT_LT(s.score, 2);
  EXPECT_FALSE(s.warning.empty());
  EXPECT_FALSE(s.suggestions.empty());
}

TEST(PasswordPolicyTest, PassphrasesAreAcceptable) {
  auto s = Eval("correct horse battery staple");
  EXPECT_TRUE(s.acceptable);
  EXPECT_GE(s.score, 3);
  EXPECT_TRUE(s.warning.empty());
}

TEST(PasswordPolicyTest, ScoreGrowsWithLength) {
  EXPECT_LE(Eval("qwerty").score, Eval("qwerty-violet-91").score);
  EXPECT_LE(Eval("qwerty-violet-91").score, Eval("qwerty-violet-91-submarine-lantern").score);
}

TEST(PasswordPolicyTest, EmailRules) {
  EXPECT_FALSE(Eval("Jonathan@Example.com", "jonathan@example.com").acceptable);
  auto s = Eval("my-jonathan-violet-9", "jonathan@example.com");
  EXPECT_FALSE(s.acceptable);
  EXPECT_NE(s.warning.find("email"), std::string::npos);
  // A local part of 3 characters is not a rule (too many false positives).
  EXPECT_TRUE(Eval("bob violet submarine 77", "bob@example.com").acceptable);
}

TEST(PasswordPolicyTest, MessagesNeverQuoteThePassword) {
  auto s = Eval("zebra12", "ann@example.com");
  EXPECT_EQ(s.warning.find("zebra12"), std::string::npos);
  for (const auto& x : s.suggestions) EXPECT_EQ(x.find("zebra12"), std::string::npos);
}

TEST(PasswordPolicyTest, CheckNewPasswordAnswersWeakPassword) {
  auto n = NormalizePassword("password");
  auto r = CheckNewPassword(*n, "", kRules);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kWeakPassword);
}

// Issue #24: the words come from the catalog in the language asked for.
TEST(PasswordPolicyTest, FeedbackIsInTheLanguageAskedFor) {
  auto n = NormalizePassword("password");
  ASSERT_TRUE(n.ok());
  auto de = EvaluatePassword(*n, "", kRules, "de");
  EXPECT_EQ(de.warning, "Dies ist ein häufig verwendetes Passwort.");
  EXPECT_EQ(de.warning, i18n::Format("de", "common.password.warning.common"));
  ASSERT_FALSE(de.suggestions.empty());
  EXPECT_EQ(de.suggestions.back(), i18n::Format("de", "common.password.tip.more_words"));
  auto en = EvaluatePassword(*n, "", kRules);
  EXPECT_EQ(en.warning, "This is a commonly used password.");
  EXPECT_EQ(en.suggestions.back(), "Add another word or two. Uncommon words are better.");
}

TEST(PasswordPolicyTest, RefusalsAreInTheLanguageAskedForWithTheirNumbers) {
  auto short_pw = NormalizePassword("Xk7#pQ2");
  auto r = CheckNewPassword(*short_pw, "", kRules, "zh-Hant");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kWeakPassword);
  EXPECT_EQ(r.error().detail, "請使用至少 8 個字元。");
  EXPECT_EQ(Eval("Xk7#pQ2").warning, "Use at least 8 characters.");
  auto en = CheckNewPassword(*short_pw, "", kRules);
  EXPECT_EQ(en.error().detail, "Use at least 8 characters.");
  auto named = NormalizePassword("my-jonathan-violet-9");
  auto de = CheckNewPassword(*named, "jonathan@example.com", kRules, "de");
  ASSERT_FALSE(de.ok());
  EXPECT_EQ(de.error().detail, "Das Passwort darf den Namen Ihrer E-Mail-Adresse nicht enthalten.");
  // A language the catalog lacks is English.
  EXPECT_EQ(CheckNewPassword(*short_pw, "", kRules, "xx").error().detail,
            "Use at least 8 characters.");
}

TEST(PasswordPolicyTest, GeneratedPasswordsHaveEveryClassAndAreAcceptable) {
  testing::ScriptedRandom random;
  auto a = GeneratePassword(random, 20);
  auto b = GeneratePassword(random, 20);
  EXPECT_EQ(a.size(), 20u);
  EXPECT_NE(a.Reveal(), b.Reveal());
  EXPECT_NE(a.Reveal().find_first_of("23456789"), std::string::npos);
  EXPECT_NE(a.Reveal().find_first_of("!#$%&*+-=?@^_~"), std::string::npos);
  EXPECT_TRUE(EvaluatePassword(a, "", kRules).acceptable);
  EXPECT_EQ(GeneratePassword(random, 3).size(), 12u);
}

}  // namespace
}  // namespace twostep::domain
