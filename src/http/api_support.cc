#include "http/api_support.h"

namespace twostep::http {

namespace {
bool IsJson(const std::string& content_type) {
  std::string_view ct(content_type);
  auto semi = ct.find(';');
  if (semi != std::string_view::npos) ct = ct.substr(0, semi);
  while (!ct.empty() && ct.back() == ' ') ct.remove_suffix(1);
  return ct == "application/json";
}
}  // namespace

Result<boost::json::object> Body(const HttpRequest& req) {
  if (!IsJson(req.content_type))
    return Error{ErrorCode::kUnsupportedMediaType, "Send the body as application/json."};
  return ParseObject(req.body);
}

Result<Secret> BearerToken(const HttpRequest& req) {
  constexpr std::string_view kPrefix = "Bearer ";
  std::string_view h(req.authorization);
  if (h.size() <= kPrefix.size() || h.substr(0, kPrefix.size()) != kPrefix)
    return Error::Unauthorized();
  return Secret(std::string(h.substr(kPrefix.size())));
}

Handler Authed(service::Sessions& sessions, AuthedHandler inner) {
  return [&sessions, inner = std::move(inner)](const HttpRequest& req, const PathParams& p) {
    auto token = BearerToken(req);
    if (!token) return ProblemResponse(token.error());
    auto caller = sessions.Authenticate(*token);
    if (!caller) return ProblemResponse(caller.error());
    return inner(req, p, *caller);
  };
}

Handler WithToken(TokenHandler inner) {
  return [inner = std::move(inner)](const HttpRequest& req, const PathParams& p) {
    auto token = BearerToken(req);
    if (!token) return ProblemResponse(token.error());
    return inner(req, p, *token);
  };
}

}  // namespace twostep::http
