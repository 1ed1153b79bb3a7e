// The composition root: builds every adapter, use case and the HTTP server
// from a Config, runs until SIGTERM/SIGINT, then shuts down gracefully
// (stop accepting, finish in-flight requests, flush the mail outbox).
#pragma once

#include "app/config.h"

namespace twostep::app {

// Prints "listening on http://HOST:PORT" on stdout when ready. Returns the
// process exit code. Throws on startup failures (bad address, bad store).
int RunServer(const Config& config);

}  // namespace twostep::app
