// The JSON messages of /v1/notifications (SPEC §3): one encoder shared by
// the WebSocket channel, the pending list and the webhook provider. It sits
// in `wire`, below both the http layer and the adapters, so that neither
// includes the other.
#pragma once

#include <string>

#include <boost/json/object.hpp>

#include "ports/notifier.h"

namespace twostep::wire {

boost::json::object EncodeNotification(const Notification& n);
// SPEC §3 `location`: {city, region, country, country_code} or null.
boost::json::value EncodeLocation(const std::optional<Location>& location);
std::string NotificationText(const Notification& n);

}  // namespace twostep::wire
