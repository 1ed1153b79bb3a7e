// The push credentials of each app (SPEC §4 keys apps.<id>.fcm_* and
// apps.<id>.apns_*), read from their files at start (and by Reload, for
// SIGHUP). A file that cannot be used stops the start with a KeyError that
// names the key and the file and says what is wrong, never the key itself.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "adapters/push/jwt.h"

namespace twostep::push {

// What the configuration says about one app's push.
struct AppPushSettings {
  std::string fcm_service_account_file;  // empty: FCM off for the app
  std::string apns_key_file;             // empty: APNs off for the app
  std::string apns_key_id;
  std::string apns_team_id;
  std::string apns_topic;  // the app's bundle id
};

struct FcmCredentials {
  std::string project_id;
  std::string client_email;
  std::string private_key_id;
  std::string token_uri;
  std::shared_ptr<const SigningKey> key;  // RSA
};

struct ApnsCredentials {
  std::string key_id;
  std::string team_id;
  std::string topic;
  std::shared_ptr<const SigningKey> key;  // P-256
};

// app id → credentials; an app without an entry is not pushed by that
// provider. Immutable once loaded (shared between threads as const).
struct PushCredentials {
  std::map<std::string, FcmCredentials> fcm;
  std::map<std::string, ApnsCredentials> apns;
  bool empty() const { return fcm.empty() && apns.empty(); }
};

// Reads every configured file. `url_allowed` judges each service
// account's token_uri (https:// unless loopback, as the endpoints).
// Throws KeyError naming the key ("apps.kasa.apns_key_file: ...").
PushCredentials LoadPushCredentials(const std::map<std::string, AppPushSettings>& apps,
                                    const std::function<bool(const std::string&)>& url_allowed);

}  // namespace twostep::push
