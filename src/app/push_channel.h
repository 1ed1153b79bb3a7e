// The mobile push channel of twostepd (SPEC §4 "Push"), built from the
// configuration: the apps' FCM and APNs credentials, read at start, and
// the entry point the SIGHUP handler calls to read them again.
#pragma once

#include <memory>

#include "adapters/push/push_notifier.h"
#include "app/config.h"

namespace twostep::app {

// Every app's push credentials. Throws ConfigError naming the key and the
// file when one cannot be used (never the key material).
push::PushCredentials LoadPushCredentials(const Config& config);

// The channel, with the credentials of `config` (ConfigError as above).
// It is built even when no app has credentials yet, so that a reload can
// turn push on; it then sends nothing.
std::unique_ptr<push::PushNotifier> OpenPushChannel(const Config& config, Store& store,
                                                    const Clock& clock, Counters& counters,
                                                    push::PushNotifier::IsLive is_live);

// Reads the credentials of `config` again and hands them to `channel`
// (SIGHUP). On a ConfigError the running credentials stay, and it is
// rethrown for the caller to log. The endpoints, CA file and limits do
// not change live.
void ReloadPushCredentials(const Config& config, push::PushNotifier& channel);

}  // namespace twostep::app
