// How the client words what the server sends: places, and Login Activity in
// plain words of the user's language instead of the API's identifiers (times
// are Texts::Time). Pure functions of their arguments.
#pragma once

#include <string>

#include <boost/json/value.hpp>

#include "cli/texts.h"

namespace twostep::cli {

// "Prague, Prague, Czechia" from a `location` object (as the server names
// it); "Unknown" in the user's language for null.
std::string PlaceOf(const Texts& t, const boost::json::value& location);

// One Login Activity entry in words: "Signed in with a code from a trusted
// device", "Wrong code entered", "Two-Step Verification turned on", ...
// Unknown pairs fall back to the event's and outcome's names.
std::string ActivityWords(const Texts& t, const std::string& event, const std::string& outcome,
                          const std::string& method);

// A `challenge_resolved` outcome as the sentence the listen screen shows
// about the request from `who`: "... was approved: the device signed in."
std::string ResolvedWords(const Texts& t, const std::string& who, const std::string& outcome);

}  // namespace twostep::cli
