#include "http/ws_messages.h"

#include <boost/json.hpp>

#include "http/json_body.h"

namespace twostep::http {

std::optional<Secret> DecodeAuthMessage(std::string_view text) {
  auto obj = ParseObject(text);
  if (!obj) return std::nullopt;
  auto type = RequiredString(*obj, "type", 16);
  if (!type || *type != "auth") return std::nullopt;
  auto token = RequiredString(*obj, "token", kMaxWsTokenBytes);
  if (!token) return std::nullopt;
  return Secret(std::move(*token));
}

std::string WsErrorText(std::string_view code, std::string_view detail) {
  return boost::json::serialize(
      boost::json::object{{"type", "error"}, {"code", code}, {"detail", detail}});
}

}  // namespace twostep::http
