#include "http/router.h"

#include <boost/container/small_vector.hpp>

namespace twostep::http {

namespace {
// A path's segments; the API's paths have at most six, so no allocation.
using Segments = boost::container::small_vector<std::string_view, 8>;

Segments Split(std::string_view path) {
  Segments parts;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// A route's pattern against the path's segments (split once per request:
// the patterns were split when added, so matching allocates nothing until a
// route matches; issue #18's profile).
bool MatchSegments(const std::vector<std::string>& pattern, const Segments& path,
                   PathParams* params) {
  if (pattern.size() != path.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == "{}") {
      if (path[i].empty()) return false;
    } else if (pattern[i] != path[i]) {
      return false;
    }
  }
  params->clear();
  for (size_t i = 0; i < pattern.size(); ++i)
    if (pattern[i] == "{}") params->emplace_back(path[i]);
  return true;
}
}  // namespace

void Router::Add(std::string method, std::string pattern, Lane lane, Handler handler) {
  std::vector<std::string> segments;
  for (auto part : Split(pattern)) segments.emplace_back(part);
  segments_.push_back(std::move(segments));
  routes_.push_back({std::move(method), std::move(pattern), lane, std::move(handler)});
}

void Router::SetFallback(Handler handler) {
  fallback_ = Route{"GET", "/{web}", Lane::kInline, std::move(handler)};
}

Result<RouteMatch> Router::Match(std::string_view method, std::string_view path) const {
  if (path.empty() || path[0] != '/') return Error::NotFound("No such resource.");
  std::string allowed;
  const auto segments = Split(path);
  PathParams params;
  for (size_t i = 0; i < routes_.size(); ++i) {
    const Route& r = routes_[i];
    if (!MatchSegments(segments_[i], segments, &params)) continue;
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
