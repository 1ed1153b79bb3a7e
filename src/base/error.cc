#include "base/error.h"

namespace twostep {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidRequest: return "invalid_request";
    case ErrorCode::kInvalidEmail: return "invalid_email";
    case ErrorCode::kWeakPassword: return "weak_password";
    case ErrorCode::kPasswordRequired: return "password_required";
    case ErrorCode::kInvalidCode: return "invalid_code";
    case ErrorCode::kUnauthorized: return "unauthorized";
    case ErrorCode::kInvalidCredentials:
    case ErrorCode::kWrongPassword: return "invalid_credentials";  // SPEC §3: one code
    case ErrorCode::kEmailNotVerified: return "email_not_verified";
    case ErrorCode::kChallengeDenied: return "challenge_denied";
    case ErrorCode::kForbidden: return "forbidden";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kMethodNotAllowed: return "method_not_allowed";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kChallengeExpired: return "challenge_expired";
    case ErrorCode::kPayloadTooLarge: return "payload_too_large";
    case ErrorCode::kUnsupportedMediaType: return "unsupported_media_type";
    case ErrorCode::kRateLimited: return "rate_limited";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

}  // namespace twostep
