#include "http/problem.h"

#include <boost/json.hpp>

namespace twostep::http {

int StatusOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidRequest:
    case ErrorCode::kInvalidEmail:
    case ErrorCode::kWeakPassword:
    case ErrorCode::kPasswordRequired:
    case ErrorCode::kInvalidCode: return 400;
    case ErrorCode::kUnauthorized:
    case ErrorCode::kInvalidCredentials: return 401;
    case ErrorCode::kWrongPassword:  // 401 would tell the web app it is signed out
    case ErrorCode::kEmailNotVerified:
    case ErrorCode::kChallengeDenied:
    case ErrorCode::kForbidden: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kMethodNotAllowed: return 405;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kChallengeExpired: return 410;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kUnsupportedMediaType: return 415;
    case ErrorCode::kRateLimited: return 429;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

namespace {
const char* Title(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default: return "Internal Server Error";
  }
}
}  // namespace

HttpResponse ProblemResponse(const Error& error) {
  const int status = StatusOf(error.code);
  boost::json::object body;
  body["type"] = "about:blank";
  body["title"] = Title(status);
  body["status"] = status;
  body["code"] = std::string(ErrorCodeName(error.code));
  body["detail"] = error.detail;
  if (error.attempts_left) body["attempts_left"] = *error.attempts_left;
  if (error.challenge_id) body["challenge_id"] = *error.challenge_id;
  HttpResponse r;
  r.status = status;
  r.content_type = "application/problem+json";
  if (error.retry_after) {
    body["retry_after"] = error.retry_after->count();
    r.headers.emplace_back("Retry-After", std::to_string(error.retry_after->count()));
  }
  if (status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer");
  r.body = boost::json::serialize(body);
  return r;
}

}  // namespace twostep::http
