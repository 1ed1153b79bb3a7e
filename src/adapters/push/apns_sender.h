// ApnsSender: the Apple Push Notification service over HTTP/2 and TLS
// (libcurl with nghttp2), token-based (SPEC §4). One connection per app is
// kept open and reused (a libcurl handle per app: its connection cache),
// as Apple asks. The provider token is an ES256 JWT {iss: team id, iat}
// with the key id in its header, made again after 50 minutes: Apple
// refuses one older than an hour and one refreshed more than once in 20
// minutes. Each push is POST /3/device/{token} with apns-topic (bundle
// id), apns-expiration (the challenge's expiry), apns-collapse-id (the
// challenge id: a resend replaces the banner) and apns-push-type alert, or
// background for challenge_resolved. 410 means the token is gone; 429 and
// 5xx are retried. Used from one thread (the APNs queue); SetCredentials
// from any.
#pragma once

#include <map>
#include <mutex>

#include "adapters/push/http_call.h"
#include "adapters/push/push_sender.h"
#include "ports/clock.h"

namespace twostep::push {

// How long a provider token is used before a new one is made.
inline constexpr seconds kApnsTokenRefresh{50 * 60};

class ApnsSender : public PushSender {
 public:
  ApnsSender(std::string endpoint, std::shared_ptr<const PushCredentials> credentials,
             const Clock& clock, HttpCallOptions http);
  ~ApnsSender() override;
  std::string_view provider() const override { return "apns"; }
  bool Serves(const std::string& app) const override;
  SendOutcome Send(const PushJob& job) override;
  void SetCredentials(std::shared_ptr<const PushCredentials> credentials) override;

 private:
  struct Connection {
    CURL* curl = nullptr;
    std::string jwt;
    Timestamp jwt_made;
  };
  Connection& ConnectionOf(const std::string& app);
  const std::string& ProviderToken(Connection& conn, const ApnsCredentials& c, bool force);
  SendOutcome Post(Connection& conn, const ApnsCredentials& c, const PushJob& job);
  void DropConnections();

  const std::string endpoint_;
  const Clock& clock_;
  HttpCallOptions http_;
  mutable std::mutex mutex_;
  std::shared_ptr<const PushCredentials> credentials_;  // GUARDED_BY(mutex_)
  bool credentials_changed_ = false;                    // GUARDED_BY(mutex_)
  std::map<std::string, Connection> connections_;       // the queue thread's only
};

}  // namespace twostep::push
