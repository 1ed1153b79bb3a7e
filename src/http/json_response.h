// JSON answers and the encoders of SPEC §3 objects.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "http/message.h"
#include "service/results.h"

namespace twostep::http {

// application/json with Cache-Control: no-store (answers may carry tokens).
HttpResponse JsonResponse(int status, const boost::json::value& body);
HttpResponse NoContent();

boost::json::object EncodeSession(const service::IssuedSession& s);
boost::json::object EncodeChallenge(const service::ChallengeView& c);

}  // namespace twostep::http
