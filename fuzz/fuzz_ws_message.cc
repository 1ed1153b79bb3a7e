// A client's WebSocket text message → the auth decode of /v1/notifications
// (http/ws_messages.h). A decoded token obeys the limits and survives an
// encode/decode round trip; the error message is always valid JSON.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <boost/json.hpp>

#include "http/ws_messages.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto token = twostep::http::DecodeAuthMessage(text);
  if (token) {
    auto t = token->Reveal();
    if (t.size() > twostep::http::kMaxWsTokenBytes || t.find('\0') != std::string_view::npos) abort();
    std::string again = boost::json::serialize(boost::json::object{{"type", "auth"}, {"token", t}});
    auto back = twostep::http::DecodeAuthMessage(again);
    if (!back || back->Reveal() != t) abort();
  }
  // The detail of an error message is our own text, but must stay JSON
  // whatever it holds (valid UTF-8 in, the same out).
  std::string err = twostep::http::WsErrorText("invalid_request", text);
  boost::json::parse_options opt;
  opt.allow_invalid_utf8 = true;
  std::error_code ec;
  auto v = boost::json::parse(err, ec, {}, opt);
  if (ec || !v.is_object() || v.at("code") != "invalid_request") abort();
  return 0;
}
