// Raw HTTP request bytes → Beast's request parser with the server's limits
// (16 KiB of headers, 64 KiB of body) → the router with the real route table
// → client IP from X-Forwarded-For → the JSON body decode and field readers,
// as http/http_session.cc does it. Never a crash; every route match is a real route.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "http/client_ip.h"
#include "http/json_body.h"
#include "http/router.h"

namespace http = twostep::http;
namespace bhttp = boost::beast::http;

namespace {
// The route table of http/api*.cc (patterns and lanes; the handlers are not
// run here: they need the whole service).
const http::Router& Routes() {
  static const http::Router router = [] {
    http::Router r;
    auto h = [](const http::HttpRequest&, const http::PathParams&) { return http::HttpResponse{}; };
    const std::pair<const char*, const char*> routes[] = {
        {"DELETE", "/v1/account/trusted-devices/{}"}, {"DELETE", "/v1/sessions/current"},
        {"GET", "/healthz"}, {"GET", "/metrics"}, {"GET", "/v1/account"},
        {"GET", "/v1/account/login-activity"}, {"GET", "/v1/account/security"},
        {"GET", "/v1/account/trusted-devices"}, {"GET", "/v1/admin/rollout/{}/{}"},
        {"GET", "/v1/notifications"}, {"GET", "/v1/notifications/pending"},
        {"POST", "/v1/account/password"}, {"POST", "/v1/account/two-step"},
        {"POST", "/v1/account/two-step/verify"}, {"POST", "/v1/accounts"},
        {"POST", "/v1/accounts/verify-email"}, {"POST", "/v1/admin/clock"},
        {"POST", "/v1/challenges/{}/deny"}, {"POST", "/v1/challenges/{}/resend"},
        {"POST", "/v1/challenges/{}/verify"}, {"POST", "/v1/password/reset"},
        {"POST", "/v1/password/reset/confirm"}, {"POST", "/v1/password/strength"},
        {"POST", "/v1/sessions"}, {"POST", "/v1/sessions/refresh"},
        {"PUT", "/v1/admin/rollout/{}/{}"}};
    for (auto [method, pattern] : routes) r.Add(method, pattern, http::Lane::kWork, h);
    r.SetFallback(h);
    return r;
  }();
  return router;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(64 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  size_t used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
  (void)used;
  if (ec || !parser.is_done()) return 0;
  auto req = parser.release();
  (void)boost::beast::websocket::is_upgrade(req);
  std::string_view target = req.target();
  std::string path(target.substr(0, target.find('?')));
  std::string method(req.method_string());
  auto match = Routes().Match(method, path);
  if (match) {
    const auto& pattern = match->route->pattern;
    size_t holes = 0;
    for (size_t i = pattern.find("{}"); i != std::string::npos; i = pattern.find("{}", i + 2)) ++holes;
    if (pattern != "/{web}" && match->params.size() != holes) abort();
    for (const auto& p : match->params)
      if (p.empty() || p.find('/') != std::string::npos) abort();
  }
  // Every X-Forwarded-For line, as the server reads them.
  auto ip = http::ClientIp("10.0.0.1", http::HeaderLines(req, "X-Forwarded-For"), {"10.0.0.1", "10.0.0.2"});
  if (ip.empty()) abort();
  auto o = http::ParseObject(req.body());
  if (!o) return 0;
  (void)http::RequiredString(*o, "email", 320);
  (void)http::RequiredString(*o, "code", 16);
  (void)http::OptionalString(*o, "device_secret", 128);
  (void)http::OptionalBool(*o, "trust_device", true);
  (void)http::OptionalDevice(*o, "device");
  return 0;
}
