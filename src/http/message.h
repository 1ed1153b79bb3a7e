// HttpRequest/HttpResponse: the server's requests and answers as plain
// values, so routing and handlers are functions testable without sockets.
// The Beast session (http/http_session.cc) converts to and from these.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace twostep::http {

// A long-poll answer being held (http/wait_hub.h): what the handler saw
// when it decided to wait, and until when the client asked to wait.
struct HeldRequest {
  std::string seen;
  std::chrono::steady_clock::time_point until;
  // Answer now, whatever changed (the server is stopping).
  bool final = false;
};

// A long-poll handler's "not yet": the server keeps the connection, with no
// thread, until `topic` is signalled, `recheck` has passed (changes made by
// another instance are seen no later) or `until`, then runs the handler
// again with the request's `held` set to {seen, until}.
struct Hold {
  std::string topic;
  std::string seen;
  std::chrono::steady_clock::time_point until;
  std::chrono::steady_clock::duration recheck;
};

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded path without the query
  std::map<std::string, std::string> query;
  std::string body;
  std::string content_type;
  std::string authorization;
  std::string origin;
  std::string accept_language;  // as sent (U17: registration's fallback)
  std::string client_ip;  // after the trusted-proxy rule
  std::string request_id;
  std::optional<HeldRequest> held;  // set when a held long-poll runs again
};

struct HttpResponse {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<Hold> hold;  // set: do not answer yet (long-poll)
};

}  // namespace twostep::http
