// RFC 9457 problem details: the one table from ErrorCode to HTTP status, and
// the JSON body with the stable `code` member.
#pragma once

#include "base/error.h"
#include "http/message.h"

namespace twostep::http {

// The status of each code. 401 always means the token (or, at sign-in, the
// email and password) is not valid, SPEC §3; the use case that re-checks a
// signed-in caller's password says kWrongPassword, which is 403.
int StatusOf(ErrorCode code);
HttpResponse ProblemResponse(const Error& error);

}  // namespace twostep::http
