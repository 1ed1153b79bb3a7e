// The text messages of /v1/notifications that are not notifications: the
// client's auth message (decoded here as a pure function, so it is unit-tested
// and fuzzed without sockets, fuzz/fuzz_ws_message.cc) and the server's
// `error` message.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/secret.h"

namespace twostep::http {

// Longest access token accepted in an auth message.
inline constexpr size_t kMaxWsTokenBytes = 256;

// {"type":"auth","token":"..."} as a strict JSON object (http/json_body.h
// rules): the token, or nullopt for anything else (other type, missing or
// non-string token, too long, NUL, invalid JSON or UTF-8).
std::optional<Secret> DecodeAuthMessage(std::string_view text);

// {"type":"error","code":...,"detail":...}
std::string WsErrorText(std::string_view code, std::string_view detail);

}  // namespace twostep::http
