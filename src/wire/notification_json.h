// The JSON of notifications (SPEC §3 /v1/notifications): the one encoder
// of the three kinds, shared by the WebSocket channel, the pending list,
// the webhook provider and the cross-instance fan-out. It sits in `wire`,
// below both the http layer and the adapters, so that neither includes the
// other.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "ports/notifier.h"

namespace twostep::wire {

// Who reads it. A device gets the message of SPEC §3. Another instance (the
// fan-out, inside its sealed box) also gets what a device is not shown but
// the receiving instance needs to route it (the session a signed_out is
// limited to) and to relay it unchanged (the requester's install id, the
// request time to the millisecond).
enum class Audience { kDevice, kRelay };

boost::json::object EncodeNotification(const Notification& n,
                                       Audience audience = Audience::kDevice);
// The inverse of EncodeNotification(n, kRelay); nullopt for anything else
// (unknown type or outcome, a code request without a code).
std::optional<Notification> DecodeRelayed(const boost::json::object& o);

// "verification_code" | "challenge_resolved" | "signed_out".
std::string_view TypeName(const Notification& n);
// SPEC §3 `location`: {city, region, country, country_code} or null, plus
// `latitude`/`longitude` (0.1°, or null) for the web app's map.
boost::json::value EncodeLocation(const std::optional<Location>& location);
// The device message as text (what the WebSocket sends).
std::string NotificationText(const Notification& n);

}  // namespace twostep::wire
