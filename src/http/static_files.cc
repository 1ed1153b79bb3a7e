#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "http/problem.h"

namespace twostep::http {

namespace fs = std::filesystem;

namespace {
std::string ContentType(const std::string& ext) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},  {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},    {".svg", "image/svg+xml"},
      {".png", "image/png"},                  {".ico", "image/x-icon"},
      {".json", "application/json"},          {".webmanifest", "application/manifest+json"},
      {".txt", "text/plain; charset=utf-8"},  {".woff2", "font/woff2"}};
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}
}  // namespace

void AddWebSecurityHeaders(HttpResponse& r) {
  r.headers.emplace_back(
      "Content-Security-Policy",
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
      "form-action 'self'; frame-ancestors 'none'");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
  r.headers.emplace_back("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
}

StaticFiles::StaticFiles(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    spdlog::warn(R"({{"event":"web_app_missing","dir":"{}"}})", dir);
    return;
  }
  for (const auto& entry : fs::recursive_directory_iterator(dir, ec)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string rel = "/" + fs::relative(entry.path(), dir).generic_string();
    files_[rel] = {ContentType(entry.path().extension().string()), ss.str()};
  }
}

HttpResponse StaticFiles::Serve(const std::string& path) const {
  std::string key = path == "/" ? "/index.html" : path;
  auto it = files_.find(key);
  bool app_route = false;
  if (it == files_.end() && key.find('.', key.rfind('/')) == std::string::npos) {
    it = files_.find("/index.html");
    app_route = true;
  }
  if (it == files_.end() || key.find("..") != std::string::npos)
    return ProblemResponse(Error::NotFound("No such resource."));
  HttpResponse r;
  r.content_type = it->second.content_type;
  r.body = it->second.body;  // the server drops it for HEAD, keeping its length
  bool hashed = key.rfind("/assets/", 0) == 0 && !app_route;
  r.headers.emplace_back("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
  AddWebSecurityHeaders(r);
  return r;
}

}  // namespace twostep::http
