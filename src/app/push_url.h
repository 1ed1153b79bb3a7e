// Where push messages may be sent (SPEC §4): an endpoint gets codes and
// device details, so it is reached over https:// unless it is on this very
// host (a local gateway), where http:// is allowed.
#pragma once

#include <string>

namespace twostep::app {

// True for an https:// URL with a host, or an http:// URL whose host is
// loopback: 127.0.0.0/8, ::1 or localhost. The URL is parsed by libcurl,
// the parser that later sends the requests, so the host checked here is
// the host connected to (no "127.0.0.1@example.com" confusion).
bool IsAllowedPushUrl(const std::string& url);

}  // namespace twostep::app
