// HttpRequest/HttpResponse: the server's requests and answers as plain
// values, so routing and handlers are functions testable without sockets.
// The Beast session (http/http_session.cc) converts to and from these.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace twostep::http {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded path without the query
  std::map<std::string, std::string> query;
  std::string body;
  std::string content_type;
  std::string authorization;
  std::string origin;
  std::string client_ip;  // after the trusted-proxy rule
  std::string request_id;
};

struct HttpResponse {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace twostep::http
