// Structured logs: every spdlog line becomes one JSON object on stderr,
// {"ts","level",...}. A message that is itself a JSON object (starts with
// '{') is merged as fields; any other message becomes "msg". Callers never
// pass secrets; this layer cannot tell them apart. Request lines (the
// "requests" logger) are buffered and written at least every second; every
// other line is written at once (app/line_buffer_sink.h).
#pragma once

#include <string>

namespace twostep::app {

// Installs the JSON formatter on the default logger (stderr) at `level`
// ("trace" ... "off"). Throws std::invalid_argument for an unknown level.
void SetupJsonLogging(const std::string& level);

}  // namespace twostep::app
