// StaticFiles: the web app's build output (web/dist), loaded into memory at
// start and served for GET/HEAD of any path outside /v1 and the
// operational routes. Unknown paths without a file extension get index.html
// (the app routes on the client). Every answer carries the security headers
// of the web app: a strict Content-Security-Policy (no inline script),
// frame-ancestors 'none', nosniff, no referrer. Hashed assets are cached for
// a year; index.html is revalidated. Thread-safe after construction.
#pragma once

#include <map>
#include <string>

#include "http/message.h"

namespace twostep::http {

class StaticFiles {
 public:
  // Loads every regular file under `dir` (missing dir: nothing to serve).
  explicit StaticFiles(const std::string& dir);
  size_t size() const { return files_.size(); }
  // 404 problem when nothing matches.
  HttpResponse Serve(const std::string& path) const;

 private:
  struct File {
    std::string content_type;
    std::string body;
  };
  std::map<std::string, File> files_;  // "/index.html" → file
};

// The security headers of every web app answer.
void AddWebSecurityHeaders(HttpResponse& r);

}  // namespace twostep::http
