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

std::string ClientIp(std::string_view peer, std::string_view forwarded_for,
                     const std::vector<std::string>& trusted_proxies) {
  std::string client(peer);
  if (forwarded_for.empty() || !Trusted(peer, trusted_proxies)) return client;
  while (!forwarded_for.empty()) {
    size_t comma = forwarded_for.rfind(',');
    std::string_view entry = Trim(comma == std::string_view::npos
                                      ? forwarded_for
                                      : forwarded_for.substr(comma + 1));
    forwarded_for = comma == std::string_view::npos ? std::string_view()
                                                    : forwarded_for.substr(0, comma);
    boost::system::error_code ec;
    auto addr = boost::asio::ip::make_address(std::string(entry), ec);
    if (ec) break;  // garbage: keep the last address we could trust
    client = addr.to_string();
    if (!Trusted(client, trusted_proxies)) break;
  }
  return client;
}

}  // namespace twostep::http
