// X-Forwarded-For / client IP: the answer is the peer or a parsed address.
#include <cstdint>
#include <string_view>

#include "http/client_ip.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view header(reinterpret_cast<const char*>(data), size);
  static const std::vector<std::string> proxies{"127.0.0.1", "10.0.0.1", "::1"};
  (void)twostep::http::ClientIp("127.0.0.1", header, proxies);
  (void)twostep::http::ClientIp("203.0.113.5", header, proxies);
  return 0;
}
