#include "http/router.h"

namespace twostep::http {

namespace {
std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

bool MatchPattern(std::string_view pattern, std::string_view path, PathParams* params) {
  auto p = Split(pattern);
  auto s = Split(path);
  if (p.size() != s.size()) return false;
  PathParams out;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == "{}") {
      if (s[i].empty()) return false;
      out.emplace_back(s[i]);
    } else if (p[i] != s[i]) {
      return false;
    }
  }
  *params = std::move(out);
  return true;
}
}  // namespace

void Router::Add(std::string method, std::string pattern, Lane lane, Handler handler) {
  routes_.push_back({std::move(method), std::move(pattern), lane, std::move(handler)});
}

void Router::SetFallback(Handler handler) {
  fallback_ = Route{"GET", "/{web}", Lane::kInline, std::move(handler)};
}

Result<RouteMatch> Router::Match(std::string_view method, std::string_view path) const {
  if (path.empty() || path[0] != '/') return Error::NotFound("No such resource.");
  std::string allowed;
  for (const auto& r : routes_) {
    PathParams params;
    if (!MatchPattern(r.pattern, path, &params)) continue;
    if (r.method == method || (method == "HEAD" && r.method == "GET"))
      return RouteMatch{&r, std::move(params)};
    allowed += (allowed.empty() ? "" : ", ") + r.method;
  }
  if (allowed.empty()) {
    if (fallback_ && (method == "GET" || method == "HEAD") && path.rfind("/v1/", 0) != 0)
      return RouteMatch{&*fallback_, {}};
    return Error::NotFound("No such resource.");
  }
  return Error{ErrorCode::kMethodNotAllowed, "Allowed methods: " + allowed + "."};
}

}  // namespace twostep::http
