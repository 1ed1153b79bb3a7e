#include "adapters/maxmind/maxmind_locator.h"

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "testing/temp_dir.h"

namespace twostep {
namespace {

constexpr const char* kIso = "/usr/share/iso-codes/json/iso_3166-1.json";

// Builds the test databases with tests/geoip/make_test_mmdb.pl once.
class MaxMindLocatorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    std::string cmd = std::string("perl ") + TWOSTEP_SOURCE_DIR + "/tests/geoip/make_test_mmdb.pl " +
                      dir_->path();
    ASSERT_EQ(std::system(cmd.c_str()), 0);
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string File(const char* name) { return dir_->path() + "/" + name; }
  static testing::TempDir* dir_;
};
testing::TempDir* MaxMindLocatorTest::dir_ = nullptr;

TEST_F(MaxMindLocatorTest, ReadsTheNestedLayoutForIpv4AndIpv6) {
  MaxMindLocator geo({File("nested.mmdb")}, kIso);
  auto london = geo.Locate("203.0.113.7");
  ASSERT_TRUE(london);
  EXPECT_EQ(london->city, "London");
  EXPECT_EQ(london->region, "England");
  EXPECT_EQ(london->country_code, "GB");
  EXPECT_EQ(london->country, "United Kingdom");
  auto berlin = geo.Locate("2001:db8:1::42");
  ASSERT_TRUE(berlin);
  EXPECT_EQ(berlin->city, "Berlin");
  EXPECT_EQ(berlin->country, "Germany");
}

TEST_F(MaxMindLocatorTest, ReadsTheFlatLayoutWithIsoCountryNames) {
  MaxMindLocator geo({File("flat.mmdb")}, kIso);
  auto paris = geo.Locate("198.51.100.20");
  ASSERT_TRUE(paris);
  EXPECT_EQ(paris->city, "Paris");
  EXPECT_EQ(paris->region, "Île-de-France");
  EXPECT_EQ(paris->country, "France");
  auto tokyo = geo.Locate("2001:db8:2::1");
  ASSERT_TRUE(tokyo);
  EXPECT_EQ(tokyo->country, "Japan");
}

TEST_F(MaxMindLocatorTest, FilesAreTriedInOrder) {
  MaxMindLocator geo({File("nested.mmdb"), File("flat.mmdb")}, kIso);
  EXPECT_EQ(geo.Locate("203.0.113.1")->city, "London");  // the first file wins
  EXPECT_EQ(geo.Locate("198.51.100.1")->city, "Paris");  // only in the second
}

TEST_F(MaxMindLocatorTest, PrivateLoopbackAndUnknownHaveNoLocation) {
  MaxMindLocator geo({File("nested.mmdb"), File("flat.mmdb")}, kIso);
  for (const char* ip : {"127.0.0.1", "10.1.2.3", "192.168.1.1", "172.16.0.1", "::1",
                         "fe80::1", "fd00::1", "100.64.0.1", "192.0.2.1", "garbage", ""})
    EXPECT_FALSE(geo.Locate(ip)) << ip;
}

TEST_F(MaxMindLocatorTest, MissingOrCorruptFilesAreSkipped) {
  std::string corrupt = File("corrupt.mmdb");
  std::ofstream(corrupt) << "this is not a maxmind database";
  MaxMindLocator geo({File("missing.mmdb"), corrupt, File("flat.mmdb")}, kIso);
  EXPECT_EQ(geo.OpenDatabases(), 1u);
  EXPECT_EQ(geo.Locate("198.51.100.1")->city, "Paris");
  MaxMindLocator none({}, "");
  EXPECT_FALSE(none.Locate("198.51.100.1"));
}

}  // namespace
}  // namespace twostep
