// ApiClient: the `twostep` client's HTTP/1.1 connection to twostepd, with
// Boost.Beast over TCP, or TLS (OpenSSL, peer verified against the system
// store, SNI) for https:// servers. One connection per request; every
// request has a deadline. Not thread-safe: one per thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <boost/json/value.hpp>

namespace twostep::cli {

struct ServerUrl {
  bool tls = false;
  std::string host;
  std::string port;
  // Parses http://host[:port] or https://host[:port]; throws TextError
  // (cli/texts.h).
  static ServerUrl Parse(const std::string& url);
};

struct ApiResponse {
  int status = 0;
  boost::json::value body;  // null when the body is empty or not JSON
  std::string retry_after;
};

class ApiClient {
 public:
  explicit ApiClient(ServerUrl url, std::chrono::seconds timeout = std::chrono::seconds(30))
      : url_(std::move(url)), timeout_(timeout) {}

  // Throws TextError (a std::runtime_error) when the server cannot be
  // reached. `language` (the client's, an i18n tag) goes as Accept-Language,
  // so the server's words (password warnings, weak_password) are in it.
  ApiResponse Send(const std::string& method, const std::string& target,
                   const std::optional<boost::json::value>& body,
                   const std::string& bearer = "", const std::string& language = "");

  const ServerUrl& url() const { return url_; }

 private:
  ServerUrl url_;
  std::chrono::seconds timeout_;
};

}  // namespace twostep::cli
