#include "domain/reconnect_backoff.h"

#include <gtest/gtest.h>

namespace twostep::domain {
namespace {

using std::chrono::milliseconds;

TEST(ReconnectBackoffTest, FirstTryComesWithinHalfASecond) {
  EXPECT_EQ(ReconnectDelay(0, 0), milliseconds(250));
  EXPECT_EQ(ReconnectDelay(0, 250), milliseconds(500));
  EXPECT_LE(ReconnectDelay(0, UINT32_MAX), milliseconds(500));
  EXPECT_GE(ReconnectDelay(0, UINT32_MAX), milliseconds(250));
}

TEST(ReconnectBackoffTest, WindowDoublesUpToThirtySeconds) {
  EXPECT_EQ(ReconnectDelay(1, 0), milliseconds(500));
  EXPECT_EQ(ReconnectDelay(2, 0), milliseconds(1000));
  EXPECT_EQ(ReconnectDelay(6, 0), milliseconds(15000));
  EXPECT_EQ(ReconnectDelay(7, 0), milliseconds(15000));  // capped window: 30 s
  EXPECT_EQ(ReconnectDelay(1000000, 15000), milliseconds(30000));
}

TEST(ReconnectBackoffTest, JitterSpreadsDevicesOverTheWindow) {
  // Devices dropped at once with different random values wait different times.
  EXPECT_NE(ReconnectDelay(3, 1), ReconnectDelay(3, 1234));
  for (uint32_t r : {0u, 7u, 999u, 123456789u, UINT32_MAX}) {
    EXPECT_GE(ReconnectDelay(3, r), milliseconds(2000));
    EXPECT_LE(ReconnectDelay(3, r), milliseconds(4000));
  }
}

}  // namespace
}  // namespace twostep::domain
