// The client address of a request (SPEC §2 "Client address"): the socket
// peer, or — only when the peer is a trusted proxy — the right-most
// X-Forwarded-For address that is not itself a trusted proxy. All the
// header's lines count, in order, as one comma-separated list (RFC 9110
// §5.3): a proxy such as HAProxy appends a line of its own rather than
// extending the client's, and reading the first line alone would let the
// client choose its address. Empty list elements are skipped; a malformed
// one ends the walk. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace twostep::http {

std::string ClientIp(std::string_view peer, const std::vector<std::string_view>& forwarded_for_lines,
                     const std::vector<std::string>& trusted_proxies);

// One header line (e.g. from a fuzzer or a single-valued source).
std::string ClientIp(std::string_view peer, std::string_view forwarded_for,
                     const std::vector<std::string>& trusted_proxies);

// The values of every line of header `name` of a Beast request, in order.
template <class Fields>
std::vector<std::string_view> HeaderLines(const Fields& fields, std::string_view name) {
  std::vector<std::string_view> out;
  auto [first, last] = fields.equal_range(name);
  for (auto it = first; it != last; ++it) out.emplace_back(it->value().data(), it->value().size());
  return out;
}

}  // namespace twostep::http
