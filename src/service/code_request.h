// The `verification_code` message of an open app-channel sign-in challenge
// as a trusted device sees it, whether it arrives live, is read from
// /v1/notifications/pending, or is delivered again after an instance's
// database connection came back (missed_notifications.h). Pure but for the
// location lookup.
#pragma once

#include <optional>

#include "base/time.h"
#include "domain/challenge.h"
#include "ports/geo_locator.h"
#include "ports/notifier.h"
#include "ports/server_keys.h"

namespace twostep::service {

// nullopt when the challenge holds no sealed code that opens (an email
// challenge, or one whose sealed copy was wiped when it ended).
std::optional<Notification> CodeRequestOf(const domain::Challenge& c, const ServerKeys& keys,
                                          const GeoLocator& geo, Timestamp now);

}  // namespace twostep::service
