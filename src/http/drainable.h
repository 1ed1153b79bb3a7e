// Drainable: a live connection (HTTP or WebSocket) as the graceful drain on
// SIGTERM sees it (SPEC §4 "Operations"). The server keeps weak references
// to every connection and tells each, in two steps, that the process is
// ending. Implementations post to their own strand: both calls are
// thread-safe and return at once. Internal to http/.
#pragma once

namespace twostep::http {

class Drainable {
 public:
  virtual ~Drainable() = default;
  // The drain starts: an idle HTTP connection closes; a request in flight
  // is finished and answered with `Connection: close`; a WebSocket gets the
  // close 1012 ("service restart") so its app reconnects elsewhere.
  virtual void BeginDrain() = 0;
  // The drain ends: whatever is left closes now, without waiting for the
  // peer (a WebSocket peer that never answers our close, a stuck request at
  // server.drain_timeout_s).
  virtual void Abort() = 0;
};

}  // namespace twostep::http
