// The one log line of each HTTP request, on the "requests" logger (which
// twostepd buffers: app/line_buffer_sink.h; without it, in unit tests, the
// default logger). The line is written by hand into a buffer of the
// calling thread and handed to spdlog whole: formatting it with fmt first
// (a format string parsed per request, a double printed) was 7 % of a
// /healthz's CPU (issue #18). Internal to http/.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace twostep::http {

struct RequestLine {
  std::string_view request_id;
  std::string_view method;
  std::string_view route;
  int status;
  std::chrono::nanoseconds elapsed;
  std::string_view ip;
};

// Appends {"event":"request","request_id":..,"method":..,"route":..,
// "status":..,"ms":..,"ip":..} with ms to three decimals. The strings are
// written as they are: none can hold a quote or a backslash (the id is
// hex, the method an HTTP token, the route a pattern, the ip an address).
void AppendRequestLine(std::string& out, const RequestLine& line);

// Logs the line at info, unless the logger is above info.
void LogRequest(const RequestLine& line);

}  // namespace twostep::http
