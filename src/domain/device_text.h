// Device descriptions (SPEC §2), pure: the rule for the name, model, OS, app
// and app version a client sends in its `device` object.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace twostep::domain {

// SPEC §2 Device descriptions: name, model, OS, app and app version are
// shown to the account's owner (Login Security, the code prompt on a
// trusted device), so they must read as what they are. Returns the NFC form
// of `text` when it is valid UTF-8 of 1-64 characters (code points, after
// NFC) without control characters (Cc: C0, DEL, C1) or format characters
// (Cf: bidi overrides and isolates such as U+202E and U+2066, zero-width
// characters such as U+200B, U+FEFF, soft hyphen), which could make one
// device's name display as another's or hide characters; otherwise 400
// invalid_request whose detail names `field`.
Result<std::string> NormalizeDeviceText(std::string_view field, std::string_view text);

}  // namespace twostep::domain
