#include "app/toml_subset.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "app/config.h"

namespace twostep::app {
namespace {

bool Accepted(std::string_view text) {
  try {
    CheckTomlSubset("test.toml", text);
    return true;
  } catch (const ConfigError&) {
    return false;
  }
}

TEST(TomlSubsetTest, AcceptsWhatTheKeysNeed) {
  for (const char* good : {
           "",
           "# only a comment\n",
           "data_dir = \"var\"\n",
           "data_dir = 'var' # trailing comment\r\n",
           "[server]\nthreads = +3\nhash_queue = 1_000\nmax_body_bytes = -1\n",
           "[ \"apps\".kasa ]\ntwo_step_default = true\n",
           "[apps]\nkasa.two_step_default = false\n",
           "trusted_proxies = [ # several lines\n  \"10.0.0.1\",\n  '10.0.0.2', # second\n]\n",
           "allowed_origins = []\n",
           "from = \"\"\"\nno-reply@example.com\"\"\"\n",
           "from = '''raw \\ text'''\n",
           "name = \"caf\xc3\xa9 \\u00e9 \\U0001F600\" # \xc3\xa9\n",
           "text = \"\"\"a \\\n   b\"\"\"\n",
       })
    EXPECT_TRUE(Accepted(good)) << good;
}

TEST(TomlSubsetTest, RefusesWhatNoKeyTakes) {
  for (const char* bad : {
           "[[apps]]\nx = 1\n",                  // array of tables
           "listen = { a = 1 }\n",               // inline table
           "data_dir = 1.5\n",                   // float
           "data_dir = 1979-05-27\n",            // date
           "threads = 0x10\n",                   // hex integer
           "proxies = [[\"a\"]]\n",              // nested array
           "data_dir = \"a\\q\"\n",              // unknown escape
           "data_dir = \"open\n",                // unterminated string
           "data_dir = \"\"\"open\n",            // unterminated multi-line string
           "data_dir = \"a\x01\"\n",             // control character
           "d\xc3\xa9 = 1\n",                    // non-ASCII outside a string
           "x = \"\"\"a \\\n \xc3\xa9\"\"\"\n",  // non-ASCII after a line-ending backslash
           "[server\n",                          // header without ]
           "key value\n",                        // no =
           "a = 1 b = 2\n",                      // two values on a line
       })
    EXPECT_FALSE(Accepted(bad)) << bad;
}

TEST(TomlSubsetTest, TheErrorNamesThePlaceAndLineButNotTheText) {
  try {
    CheckTomlSubset("TWOSTEP_X", "a = 1\nb = \"s3cret\x01\"\n");
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("TWOSTEP_X"), std::string::npos) << what;
    EXPECT_NE(what.find("line 2"), std::string::npos) << what;
    EXPECT_EQ(what.find("s3cret"), std::string::npos) << what;
  }
}

// The inputs on which toml++ reached undefined behaviour (fuzz/fuzz_config.cc)
// never get to it; the well-formed seed does.
TEST(TomlSubsetTest, FuzzRegressionSeedsAreRefused) {
  const std::filesystem::path dir =
      std::filesystem::path(TWOSTEP_SOURCE_DIR) / "fuzz/corpus/config";
  int regressions = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string name = entry.path().filename().string();
    if (name.rfind("regression-", 0) == 0) {
      ++regressions;
      EXPECT_FALSE(Accepted(text)) << name;
    } else {
      EXPECT_TRUE(Accepted(text)) << name;
    }
  }
  EXPECT_GE(regressions, 5);
}

}  // namespace
}  // namespace twostep::app
