// Reading a 6-digit code the way people type or paste it: "617 244",
// "617-244", "617–244" (an en dash from a mail) and " 617244 " are all the
// code 617244. Pure functions; no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace twostep::cli {

// The six digits of `typed` once the separators people use are removed
// (ASCII spaces, tabs, hyphens; no-break and thin spaces; the Unicode dashes
// and minus sign), or nullopt when anything else remains or the count of
// digits is not six.
std::optional<std::string> NormalizeCode(std::string_view typed);

// (What to tell the user about input that is not a code is the catalog's
// cli.code.malformed.)

}  // namespace twostep::cli
