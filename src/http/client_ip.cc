#include "http/client_ip.h"

#include <algorithm>

#include <boost/asio/ip/address.hpp>

namespace twostep::http {

namespace {
bool Trusted(std::string_view ip, const std::vector<std::string>& proxies) {
  return std::find(proxies.begin(), proxies.end(), ip) != proxies.end();
}
std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

std::string ClientIp(std::string_view peer, const std::vector<std::string_view>& forwarded_for_lines,
                     const std::vector<std::string>& trusted_proxies) {
  std::string client(peer);
  if (!Trusted(peer, trusted_proxies)) return client;
  std::string joined;  // the lines as one list, in order
  for (std::string_view line : forwarded_for_lines) {
    if (!joined.empty()) joined += ',';
    joined += line;
  }
  std::string_view list = joined;
  while (!list.empty()) {
    size_t comma = list.rfind(',');
    std::string_view entry = Trim(comma == std::string_view::npos ? list : list.substr(comma + 1));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(0, comma);
    if (entry.empty()) continue;  // an empty list element names no one (RFC 9110 §5.6.1)
    boost::system::error_code ec;
    auto addr = boost::asio::ip::make_address(std::string(entry), ec);
    if (ec) break;  // garbage: keep the last address we could trust
    client = addr.to_string();
    if (!Trusted(client, trusted_proxies)) break;
  }
  return client;
}

std::string ClientIp(std::string_view peer, std::string_view forwarded_for,
                     const std::vector<std::string>& trusted_proxies) {
  return ClientIp(peer, std::vector<std::string_view>{forwarded_for}, trusted_proxies);
}

}  // namespace twostep::http
