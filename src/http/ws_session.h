// The WebSocket side of /v1/notifications (SPEC §2 "WebSocket"): the first
// message must be {"type":"auth","token":...} within the auth timeout; it is
// answered {"type":"ready","device_id"} (the connection then joins the hub)
// or {"type":"error",...} and the close. Pings keep idle connections alive;
// a slow reader whose queue overflows is closed. Internal to http/: only
// http_session.cc starts sessions.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "base/result.h"
#include "base/secret.h"
#include "http/drainable.h"
#include "service/results.h"

namespace twostep::http {

class WsHub;
class WorkPool;

struct WsContext {
  WsHub& hub;
  WorkPool& work;  // authentication touches the store: not on I/O threads
  std::function<Result<service::DeviceSession>(const Secret&)> authenticate;
  std::chrono::seconds auth_timeout{5};  // server.ws_auth_timeout_s
  std::chrono::seconds idle_timeout{30};  // a ping after this, close after 2x
};

// `slot` (may be null) is held for the life of the session: the per-IP
// connection slot of http/connection_limiter.h and the server's
// registration of the session. Returns the session for the drain (its
// close is 1012, "service restart").
std::shared_ptr<Drainable> StartWsSession(
    boost::beast::tcp_stream stream,
    boost::beast::http::request<boost::beast::http::string_body> request, WsContext& context,
    std::shared_ptr<void> slot);
// The same over TLS (wss://).
std::shared_ptr<Drainable> StartWsSession(
    boost::beast::ssl_stream<boost::beast::tcp_stream> stream,
    boost::beast::http::request<boost::beast::http::string_body> request, WsContext& context,
    std::shared_ptr<void> slot);

}  // namespace twostep::http
