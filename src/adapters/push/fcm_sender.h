// FcmSender: Firebase Cloud Messaging HTTP v1 (SPEC §4). Per app, an OAuth
// 2.0 access token is obtained from the service account's token_uri with a
// JWT assertion (RS256, signed by the service-account key: RFC 7523) and
// cached until five minutes before it expires; each push is one
// POST {endpoint}/v1/projects/{project}/messages:send with a data message
// (type, challenge id) and, for a sign-in request, an Android notification
// with the summary, tagged with the challenge id so a resend replaces it.
// UNREGISTERED, or INVALID_ARGUMENT about message.token, means the token is
// gone; 429 and 5xx are retried (Retry-After honoured by the queue).
// Used from one thread (the FCM queue); SetCredentials from any.
#pragma once

#include <map>
#include <mutex>

#include "adapters/push/http_call.h"
#include "adapters/push/push_sender.h"
#include "ports/clock.h"

namespace twostep::push {

inline constexpr const char* kFcmScope = "https://www.googleapis.com/auth/firebase.messaging";

class FcmSender : public PushSender {
 public:
  FcmSender(std::string endpoint, std::shared_ptr<const PushCredentials> credentials,
            const Clock& clock, HttpCallOptions http);
  ~FcmSender() override;
  std::string_view provider() const override { return "fcm"; }
  bool Serves(const std::string& app) const override;
  SendOutcome Send(const PushJob& job) override;
  void SetCredentials(std::shared_ptr<const PushCredentials> credentials) override;

 private:
  struct AccessToken {
    std::string value;
    Timestamp refresh_at;
  };
  std::shared_ptr<const PushCredentials> Credentials() const;
  // The cached access token of the app, or a new one; nullopt with the
  // outcome to report when the token endpoint refused or failed.
  std::optional<std::string> AccessTokenFor(const std::string& app, const FcmCredentials& c,
                                            SendOutcome& failure);
  SendOutcome Classify(const HttpReply& reply, const std::string& app);

  const std::string endpoint_;
  const Clock& clock_;
  const HttpCallOptions http_;
  CURL* curl_;
  mutable std::mutex mutex_;
  std::shared_ptr<const PushCredentials> credentials_;  // GUARDED_BY(mutex_)
  bool credentials_changed_ = false;                    // GUARDED_BY(mutex_)
  std::map<std::string, AccessToken> tokens_;           // the queue thread's only
};

}  // namespace twostep::push
