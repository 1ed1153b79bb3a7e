// The webhook signature integrators check (README "Webhook signatures"):
// sha256=<hex HMAC-SHA-256 under push.webhook_secret of "<timestamp>.<body>">.
// The expected value is Python's hmac.new(secret, msg, hashlib.sha256).
#include <gtest/gtest.h>

#include "adapters/webhook/webhook_notifier.h"

namespace twostep {
namespace {

TEST(WebhookSignatureTest, IsHmacSha256OfTimestampDotBodyInHex) {
  EXPECT_EQ(WebhookSignature(Secret("whsec-test"), 1700000000, R"({"a":1})"),
            "sha256=fed7a1a6c799a6367d73724d76bc70c16678908a32a879cd1ded6565ac05cece");
}

TEST(WebhookSignatureTest, ChangesWithTheTimestampTheBodyAndTheSecret) {
  const auto base = WebhookSignature(Secret("whsec-test"), 1700000000, R"({"a":1})");
  EXPECT_NE(WebhookSignature(Secret("whsec-test"), 1700000001, R"({"a":1})"), base);
  EXPECT_NE(WebhookSignature(Secret("whsec-test"), 1700000000, R"({"a":2})"), base);
  EXPECT_NE(WebhookSignature(Secret("whsec-tesT"), 1700000000, R"({"a":1})"), base);
}

}  // namespace
}  // namespace twostep
