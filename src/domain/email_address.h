// Email addresses: normalisation/validation for account identity, and the
// masked form shown to users ("j***@example.com"). Pure.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace twostep::domain {

// Trims surrounding whitespace and lower-cases the whole address (so
// Ann@Example.com and ann@example.com are one account). Accepts a pragmatic
// subset of RFC 5321: ≤ 254 bytes, one '@', a local part of 1–64 printable
// ASCII characters without spaces, quotes, <>,;\ and a domain of ≥ 2
// dot-separated labels of [a-z0-9-] (1–63 each, no leading/trailing '-',
// TLD not all digits). No quoted local parts, no internationalised
// addresses. Control characters (CR, LF, NUL) are always refused, so a
// normalised address is safe in a mail header. Error: kInvalidEmail.
Result<std::string> NormalizeEmail(std::string_view raw);

// The mailbox an address delivers to, for flood limits (SPEC §2): the
// address lower-cased, with any "+tag" of the local part removed
// ("Ann+x@Example.com" → "ann@example.com"), so the tagged variants of one
// inbox share one mail quota. A local part that starts with '+' is kept
// whole (nothing would be left of it). Not an identity: accounts stay keyed
// by NormalizeEmail.
std::string MailboxOf(std::string_view email);

// "j***@example.com": first character of the local part, "***", the domain.
std::string MaskEmail(std::string_view email);

}  // namespace twostep::domain
