// PushSender: one provider's delivery of one push (FCM or APNs), and what
// became of it. Called from that provider's queue thread only (ProviderQueue),
// so an implementation may keep connections and token caches unlocked;
// SetCredentials may be called from any thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/push/push_credentials.h"
#include "adapters/push/push_message.h"
#include "base/time.h"

namespace twostep::push {

struct PushJob {
  std::string app;    // whose credentials
  std::string token;  // the device's address at the provider; never logged
  PushMessage message;
};

struct SendOutcome {
  enum class Kind {
    kDelivered,  // the provider accepted it
    kTokenGone,  // the token will never work again: forget it
    kRetry,      // 429, 5xx, timeout: try again later (after retry_after when given)
    kFailed,     // refused for good (bad request, bad credentials): drop it
  };
  Kind kind = Kind::kFailed;
  // Metrics label and log word: fixed vocabulary (e.g. "rate_limited",
  // "server_error", "timeout", "token_gone", "unauthorized").
  std::string reason;
  std::optional<seconds> retry_after;
};

class PushSender {
 public:
  virtual ~PushSender() = default;
  virtual std::string_view provider() const = 0;  // "fcm" | "apns"
  // True when the app has credentials for this provider.
  virtual bool Serves(const std::string& app) const = 0;
  virtual SendOutcome Send(const PushJob& job) = 0;
  // New credentials (SIGHUP reload); cached tokens and connections of the
  // old ones are dropped before the next send.
  virtual void SetCredentials(std::shared_ptr<const PushCredentials> credentials) = 0;
};

}  // namespace twostep::push
