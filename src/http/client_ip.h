// The client address of a request (SPEC §4): the socket peer, or — only when
// the peer is a trusted proxy — the right-most X-Forwarded-For address that
// is not itself a trusted proxy. Pure; malformed entries end the walk.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace twostep::http {

std::string ClientIp(std::string_view peer, std::string_view forwarded_for,
                     const std::vector<std::string>& trusted_proxies);

}  // namespace twostep::http
