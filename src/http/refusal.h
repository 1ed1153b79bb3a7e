// Refusing a connection at accept, before anything is read: over the per-IP
// cap (429) or the global cap (503), with Retry-After and the close (over
// TLS just the close: no handshake is spent on it). The client's request is
// then read and discarded for a moment, so that the close does not reset
// the connection before the client has read the answer. Internal to http/.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include "http/message.h"

namespace twostep::http {

// `answer`: a problem response (status, headers, body); sent unless `tls`.
void RefuseConnection(boost::asio::ip::tcp::socket socket, bool tls, const HttpResponse& answer);

}  // namespace twostep::http
