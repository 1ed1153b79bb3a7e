// RFC 9457 problem details: the one table from ErrorCode to HTTP status, and
// the JSON body with the stable `code` member.
#pragma once

#include "base/error.h"
#include "http/message.h"

namespace twostep::http {

int StatusOf(ErrorCode code);
// `authenticated`: on an authenticated call a wrong current password is 403
// (401 always means the token is not valid, SPEC §3).
HttpResponse ProblemResponse(const Error& error, bool authenticated = false);

}  // namespace twostep::http
