// Router: (method, path) → handler, with `{}` segments as path parameters.
// A plain function of the request, tested without sockets. Each route says
// on which lane it runs: inline on the I/O thread (cheap, no store), on the
// work pool (store access), or on the bounded hashing pool (Argon2id).
// Thread-safe after construction (read-only).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "http/message.h"

namespace twostep::http {

enum class Lane { kInline, kWork, kHash };

using PathParams = std::vector<std::string>;
using Handler = std::function<HttpResponse(const HttpRequest&, const PathParams&)>;

struct Route {
  std::string method;
  std::string pattern;  // e.g. "/v1/challenges/{}/verify"
  Lane lane;
  Handler handler;
};

struct RouteMatch {
  const Route* route;
  PathParams params;
};

class Router {
 public:
  void Add(std::string method, std::string pattern, Lane lane, Handler handler);
  // Answers GET/HEAD of paths that match no route and are not under /v1/
  // (the web app's files).
  void SetFallback(Handler handler);
  // 404 not_found for an unknown path, 405 method_not_allowed (with the
  // allowed methods in the detail) for a known path with another method.
  Result<RouteMatch> Match(std::string_view method, std::string_view path) const;

 private:
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> segments_;  // of each route's pattern, split once
  std::optional<Route> fallback_;
};

}  // namespace twostep::http
