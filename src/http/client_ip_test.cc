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

}  // namespace
}  // namespace twostep::http
