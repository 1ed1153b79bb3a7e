// The catalog test (issue #24): the files of every language say the same
// things. Runs over every area file there is (common, mail, web, cli), so a
// file added later is checked without a change here.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <unicode/messagepattern.h>
#include <unicode/msgfmt.h>

#include "i18n/catalog.h"
#include "i18n/catalog_files.h"
#include "i18n/icu_text.h"
#include "i18n/messages.h"

namespace twostep::i18n {
namespace {

// The argument names a pattern uses, at any depth (inside plural and select
// too); empty with a failure when ICU cannot parse it.
std::set<std::string> ArgumentNames(const std::string& pattern) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError where;
  icu::MessagePattern parsed(ToIcu(pattern), &where, status);
  EXPECT_TRUE(U_SUCCESS(status)) << "does not parse: " << pattern;
  std::set<std::string> names;
  if (U_FAILURE(status)) return names;
  for (int32_t i = 0; i < parsed.countParts(); ++i) {
    const icu::MessagePattern::Part& part = parsed.getPart(i);
    if (part.getType() == UMSGPAT_PART_TYPE_ARG_NAME || part.getType() == UMSGPAT_PART_TYPE_ARG_NUMBER)
      names.insert(FromIcu(parsed.getSubstring(part)));
  }
  return names;
}

std::set<std::string> KeysOf(const Messages& messages) {
  std::set<std::string> keys;
  for (const auto& [key, message] : messages) keys.insert(key);
  return keys;
}

TEST(CatalogTest, EveryLanguageHasFilesAndNoOther) {
  std::set<std::string> with_files;
  for (const CatalogFile& file : EmbeddedCatalogFiles()) with_files.insert(std::string(file.lang));
  const std::set<std::string> expected(kLanguages.begin(), kLanguages.end());
  EXPECT_EQ(with_files, expected);
}

TEST(CatalogTest, EveryFileIsAFlatObjectOfItsArea) {
  for (const CatalogFile& file : EmbeddedCatalogFiles()) {
    SCOPED_TRACE("locales/" + std::string(file.lang) + "/" + std::string(file.area) + ".json");
    boost::system::error_code ec;
    const boost::json::value doc = boost::json::parse(file.json, ec);
    ASSERT_FALSE(ec) << ec.message();
    ASSERT_TRUE(doc.is_object());
    const std::string prefix = std::string(file.area) + ".";
    for (const auto& [key, value] : doc.as_object()) {
      EXPECT_TRUE(std::string_view(key).starts_with(prefix)) << key;
      EXPECT_TRUE(value.is_string()) << key;
      EXPECT_FALSE(value.is_string() && value.as_string().empty()) << key << " is empty";
    }
  }
}

TEST(CatalogTest, EveryLanguageHasExactlyTheEnglishKeys) {
  const Catalog& catalog = Catalog::BuiltIn();
  const std::set<std::string> english = KeysOf(catalog.Of("en"));
  ASSERT_FALSE(english.empty());
  for (std::string_view lang : kLanguages) {
    const std::set<std::string> keys = KeysOf(catalog.Of(lang));
    for (const std::string& key : english) EXPECT_TRUE(keys.contains(key)) << lang << " lacks " << key;
    for (const std::string& key : keys) EXPECT_TRUE(english.contains(key)) << lang << " has extra " << key;
  }
}

TEST(CatalogTest, EveryTranslationUsesExactlyTheEnglishArguments) {
  const Catalog& catalog = Catalog::BuiltIn();
  for (const auto& [key, english] : catalog.Of("en")) {
    const std::set<std::string> expected = ArgumentNames(english);
    for (std::string_view lang : kLanguages) {
      const std::string* message = catalog.Find(lang, key);
      if (message == nullptr) continue;  // reported by the test above
      EXPECT_EQ(ArgumentNames(*message), expected) << lang << " " << key;
    }
  }
}

TEST(CatalogTest, EveryMessageParsesAsMessageFormatInItsLanguage) {
  for (const auto& [lang, messages] : Catalog::BuiltIn().languages()) {
    for (const auto& [key, message] : messages) {
      UErrorCode status = U_ZERO_ERROR;
      icu::MessageFormat format(ToIcu(message), LocaleOf(lang), status);
      EXPECT_TRUE(U_SUCCESS(status)) << lang << " " << key << ": " << u_errorName(status);
    }
  }
}

// ASCII apostrophes start quoted text in ICU MessageFormat ("don't {x}"
// would print "{x}" literally); the catalog uses ’ (U+2019) in words.
TEST(CatalogTest, NoAsciiApostrophes) {
  for (const auto& [lang, messages] : Catalog::BuiltIn().languages())
    for (const auto& [key, message] : messages)
      EXPECT_EQ(message.find('\''), std::string::npos) << lang << " " << key << ": use ’";
}

}  // namespace
}  // namespace twostep::i18n

namespace twostep::i18n {
namespace {

// The loader's rules, on a small catalog of its own.
constexpr CatalogFile kSmall[] = {
    {"en", "common", R"({"common.a": "A", "common.b": "B"})"},
    {"de", "common", R"({"common.a": "A auf Deutsch"})"},
};

TEST(CatalogLoaderTest, AKeyMissingInALanguageIsTheEnglishMessage) {
  const Catalog catalog(kSmall);
  std::string_view lang = "de";
  EXPECT_EQ(catalog.Resolve(lang, "common.a"), "A auf Deutsch");
  EXPECT_EQ(lang, "de");
  EXPECT_EQ(catalog.Resolve(lang, "common.b"), "B");
  EXPECT_EQ(lang, "en");  // formatted with English rules too
  std::string_view unknown = "tlh";
  EXPECT_EQ(catalog.Resolve(unknown, "common.a"), "A");
  EXPECT_EQ(unknown, "en");
  std::string_view english = "en";
  EXPECT_THROW(catalog.Resolve(english, "common.c"), std::logic_error);
}

TEST(CatalogLoaderTest, MalformedFilesAndDuplicateKeysStopTheBuildsCatalog) {
  const CatalogFile not_json[] = {{"en", "common", "{oops"}};
  EXPECT_THROW(Catalog{not_json}, std::logic_error);
  const CatalogFile not_strings[] = {{"en", "common", R"({"common.a": 1})"}};
  EXPECT_THROW(Catalog{not_strings}, std::logic_error);
  const CatalogFile twice[] = {{"en", "common", R"({"common.a": "A"})"},
                               {"en", "web", R"({"common.a": "again"})"}};
  EXPECT_THROW(Catalog{twice}, std::logic_error);
}

}  // namespace
}  // namespace twostep::i18n
