// Error: an expected failure of a use case, as a value. The `code` is the
// stable machine-readable id (SPEC §3); `detail` is a safe human sentence that
// never echoes a secret. http/problem.cc maps codes to HTTP statuses.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace twostep {

enum class ErrorCode {
  kInvalidRequest,      // 400 malformed or semantically wrong input
  kInvalidEmail,        // 400
  kWeakPassword,        // 400
  kPasswordRequired,    // 400 this change needs the current password
  kInvalidCode,         // 400 wrong verification code
  kUnauthorized,        // 401 missing/invalid token
  kInvalidCredentials,  // 401 wrong email or password at sign-in
  kWrongPassword,       // 403 wrong current password of a signed-in caller; wire
                        // code invalid_credentials (401 would mean "token gone")
  kEmailNotVerified,    // 403
  kChallengeDenied,     // 403
  kForbidden,           // 403
  kNotFound,            // 404
  kMethodNotAllowed,    // 405
  kConflict,            // 409
  kChallengeExpired,    // 410
  kPayloadTooLarge,     // 413
  kUnsupportedMediaType,// 415
  kRateLimited,         // 429
  kUnavailable,         // 503 (overload, store down)
  kInternal,            // 500
};

// The stable string of a code, e.g. "invalid_code".
std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string detail;
  std::optional<std::chrono::seconds> retry_after;
  std::optional<int> attempts_left;
  std::optional<std::string> challenge_id;  // email_not_verified carries one

  static Error InvalidRequest(std::string detail) {
    return {ErrorCode::kInvalidRequest, std::move(detail)};
  }
  static Error Unauthorized() {
    return {ErrorCode::kUnauthorized, "The access token is missing, expired or revoked."};
  }
  static Error InvalidCredentials() {
    return {ErrorCode::kInvalidCredentials, "The email or password is not correct."};
  }
  // The current password re-entered by a caller whose token is valid.
  static Error WrongPassword(std::string detail) {
    return {ErrorCode::kWrongPassword, std::move(detail)};
  }
  static Error NotFound(std::string detail) {
    return {ErrorCode::kNotFound, std::move(detail)};
  }
  static Error RateLimited(std::chrono::seconds retry_after, std::string detail =
                               "Too many attempts. Try again later.") {
    Error e{ErrorCode::kRateLimited, std::move(detail)};
    e.retry_after = retry_after < std::chrono::seconds(1) ? std::chrono::seconds(1) : retry_after;
    return e;
  }
  static Error Unavailable(std::string detail, std::chrono::seconds retry_after) {
    Error e{ErrorCode::kUnavailable, std::move(detail)};
    e.retry_after = retry_after;
    return e;
  }
  static Error Internal() {
    return {ErrorCode::kInternal, "An internal error occurred."};
  }
};

}  // namespace twostep
