#include "app/push_url.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include <curl/curl.h>

namespace twostep::app {

namespace {

std::string Part(CURLU* url, CURLUPart part) {
  char* text = nullptr;
  if (curl_url_get(url, part, &text, 0) != CURLUE_OK || !text) return {};
  std::string out(text);
  curl_free(text);
  return out;
}

bool IsLoopbackHost(std::string host) {
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  if (host == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1)
    return (ntohl(v4.s_addr) >> 24) == 127;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    in6_addr v6{};
    return inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), &v6) == 1 &&
           std::memcmp(&v6, &in6addr_loopback, sizeof v6) == 0;
  }
  return false;
}

}  // namespace

bool IsAllowedPushUrl(const std::string& text) {
  CURLU* url = curl_url();
  if (!url) return false;
  bool ok = false;
  if (curl_url_set(url, CURLUPART_URL, text.c_str(), 0) == CURLUE_OK) {
    const std::string scheme = Part(url, CURLUPART_SCHEME);
    const std::string host = Part(url, CURLUPART_HOST);
    ok = !host.empty() && (scheme == "https" || (scheme == "http" && IsLoopbackHost(host)));
  }
  curl_url_cleanup(url);
  return ok;
}

}  // namespace twostep::app
