// The JSON messages of /v1/notifications (SPEC §3), shared by the WebSocket
// channel, the pending list and the webhook provider.
#pragma once

#include <string>

#include <boost/json/object.hpp>

#include "ports/notifier.h"

namespace twostep::http {

boost::json::object EncodeNotification(const Notification& n);
// SPEC §3 `location`: {city, region, country, country_code} or null.
boost::json::value EncodeLocation(const std::optional<Location>& location);
std::string NotificationText(const Notification& n);

}  // namespace twostep::http
