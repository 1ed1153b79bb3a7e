// Shared pieces of the API handlers: body decoding, bearer-token
// authentication, and a macro that returns the problem answer of a failed
// Result.
#pragma once

#include <functional>
#include <string>

#include <boost/json/object.hpp>

#include "base/result.h"
#include "base/secret.h"
#include "http/json_body.h"
#include "http/problem.h"
#include "http/router.h"
#include "service/results.h"
#include "service/sessions.h"

namespace twostep::http {

// Unwraps a Result inside a handler: returns the problem response on error.
#define TRY_ASSIGN(var, expr)                                      \
  auto var##_result = (expr);                                      \
  if (!var##_result) return ProblemResponse(var##_result.error()); \
  auto var = std::move(var##_result).value()

// The JSON object body; 415 unless the content type is application/json.
Result<boost::json::object> Body(const HttpRequest& req);
// The token of "Authorization: Bearer <token>"; 401 otherwise.
Result<Secret> BearerToken(const HttpRequest& req);

using AuthedHandler =
    std::function<HttpResponse(const HttpRequest&, const PathParams&, const service::Caller&)>;
// Wraps a handler so it runs only for a live access token.
Handler Authed(service::Sessions& sessions, AuthedHandler inner);

using TokenHandler =
    std::function<HttpResponse(const HttpRequest&, const PathParams&, const Secret& access_token)>;
// For the reads: hands the bearer token to a use case that checks it in the
// snapshot it reads (service::ReadAs): one transaction per request.
Handler WithToken(TokenHandler inner);

}  // namespace twostep::http
