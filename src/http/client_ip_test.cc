#include "http/client_ip.h"

#include <gtest/gtest.h>

namespace twostep::http {
namespace {

TEST(ClientIpTest, IgnoresForwardedForFromUntrustedPeer) {
  EXPECT_EQ(ClientIp("203.0.113.9", "1.2.3.4", {}), "203.0.113.9");
  EXPECT_EQ(ClientIp("203.0.113.9", "1.2.3.4", {"10.0.0.1"}), "203.0.113.9");
}

TEST(ClientIpTest, TakesRightMostUntrustedAddressBehindTrustedProxies) {
  std::vector<std::string> proxies{"10.0.0.1", "10.0.0.2"};
  EXPECT_EQ(ClientIp("10.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2", proxies), "198.51.100.7");
}

TEST(ClientIpTest, GarbageStopsTheWalk) {
  std::vector<std::string> proxies{"10.0.0.1"};
  EXPECT_EQ(ClientIp("10.0.0.1", "nonsense", proxies), "10.0.0.1");
  EXPECT_EQ(ClientIp("10.0.0.1", "::1", proxies), "::1");
}

// HAProxy appends its own X-Forwarded-For line instead of extending the
// client's: the lines are one list in order (RFC 9110 §5.3), so the client
// cannot choose its address by sending the first line itself.
TEST(ClientIpTest, SeveralHeaderLinesAreOneListInOrder) {
  std::vector<std::string> proxies{"10.0.0.1", "10.0.0.2"};
  using Lines = std::vector<std::string_view>;
  EXPECT_EQ(ClientIp("10.0.0.1", Lines{"6.6.6.6", "198.51.100.7"}, proxies), "198.51.100.7");
  EXPECT_EQ(ClientIp("10.0.0.1", Lines{"6.6.6.6, 7.7.7.7", "198.51.100.7, 10.0.0.2"}, proxies),
            "198.51.100.7");
  // The walk goes on across lines past trusted proxies.
  EXPECT_EQ(ClientIp("10.0.0.1", Lines{"198.51.100.7", "10.0.0.2", "10.0.0.1"}, proxies),
            "198.51.100.7");
  // Empty lines and empty list elements carry no address and are skipped.
  EXPECT_EQ(ClientIp("10.0.0.1", Lines{"198.51.100.7", "", " , 10.0.0.2"}, proxies),
            "198.51.100.7");
  EXPECT_EQ(ClientIp("10.0.0.1", Lines{}, proxies), "10.0.0.1");
  // Garbage in an earlier line still ends the walk there.
  EXPECT_EQ(ClientIp("10.0.0.1", Lines{"198.51.100.7", "junk", "10.0.0.2"}, proxies), "10.0.0.2");
  // From an untrusted peer no line counts.
  EXPECT_EQ(ClientIp("203.0.113.9", Lines{"6.6.6.6", "198.51.100.7"}, proxies), "203.0.113.9");
}

}  // namespace
}  // namespace twostep::http
