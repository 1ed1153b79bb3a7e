// The composition root: builds every adapter, use case and the HTTP server
// from a Config, runs until SIGTERM/SIGINT, then shuts down gracefully
// (stop accepting, finish in-flight requests, flush the mail outbox).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "app/config.h"

namespace twostep::app {

// Prints "listening on http://HOST:PORT" on stdout when ready. Returns the
// process exit code. Throws on startup failures (bad address, bad store).
// Runs twostepd until SIGTERM/SIGINT and its drain. SIGHUP reloads the
// configuration from `config_path` and `env` (app/reload.h).
int RunServer(const Config& config, const std::optional<std::string>& config_path,
              const std::map<std::string, std::string>& env);

}  // namespace twostep::app
