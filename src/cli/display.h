// How the client words what the server sends: times in the terminal's time
// zone with the zone named, places, and Login Activity in plain words
// instead of the API's identifiers. Pure functions of their arguments and
// of the process's time zone (TZ, else /etc/localtime).
#pragma once

#include <string>

#include <boost/json/value.hpp>

namespace twostep::cli {

// "2026-11-24T16:15:22.105Z" -> "2026-11-24 17:15:22 CET" (local time zone,
// named by its abbreviation). Anything that is not an RFC 3339 UTC time is
// returned as it is.
std::string LocalTime(const std::string& rfc3339_utc);

// "Prague, Prague, Czechia" from a `location` object; "Unknown" for null.
std::string PlaceOf(const boost::json::value& location);

// One Login Activity entry in words: "Signed in with a code from a trusted
// device", "Wrong code entered", "Two-Step Verification turned on", ...
// Unknown pairs fall back to the event's name with spaces.
std::string ActivityWords(const std::string& event, const std::string& outcome,
                          const std::string& method);

// A `challenge_resolved` outcome as the end of "This request ...":
// "was approved: the device signed in", "moved to email: ...".
std::string ResolvedWords(const std::string& outcome);

}  // namespace twostep::cli
