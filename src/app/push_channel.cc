#include "app/push_channel.h"

#include "app/push_url.h"

namespace twostep::app {

push::PushCredentials LoadPushCredentials(const Config& config) {
  std::map<std::string, push::AppPushSettings> apps;
  for (const auto& [app, s] : config.apps)
    apps[app] = {s.fcm_service_account_file, s.apns_key_file, s.apns_key_id, s.apns_team_id,
                 s.apns_topic};
  try {
    return push::LoadPushCredentials(apps, IsAllowedPushUrl);
  } catch (const push::KeyError& e) {
    throw ConfigError(e.what());
  }
}

std::unique_ptr<push::PushNotifier> OpenPushChannel(const Config& config, Store& store,
                                                    const Clock& clock, Counters& counters,
                                                    push::PushNotifier::IsLive is_live) {
  push::PushOptions options;
  auto base = [](std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
  };
  options.fcm_endpoint = base(config.push.fcm_endpoint);
  options.apns_endpoint = base(config.push.apns_endpoint);
  options.ca_file = config.push.ca_file;
  options.request_timeout = seconds(config.push.timeout_s);
  options.queue_limit = static_cast<size_t>(config.push.queue_limit);
  return std::make_unique<push::PushNotifier>(store, clock, counters, std::move(is_live),
                                              LoadPushCredentials(config), options);
}

void ReloadPushCredentials(const Config& config, push::PushNotifier& channel) {
  channel.Reload(LoadPushCredentials(config));
}

}  // namespace twostep::app
