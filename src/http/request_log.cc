#include "http/request_log.h"

#include <charconv>
#include <memory>

#include <spdlog/spdlog.h>

namespace twostep::http {

namespace {
spdlog::logger& RequestLogger() {
  static const std::shared_ptr<spdlog::logger> logger = [] {
    auto named = spdlog::get("requests");
    return named ? named : spdlog::default_logger();
  }();
  return *logger;
}

void AppendNumber(std::string& out, long long n) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  out.append(digits, end);
}
}  // namespace

void AppendRequestLine(std::string& out, const RequestLine& line) {
  out += R"({"event":"request","request_id":")";
  out += line.request_id;
  out += R"(","method":")";
  out += line.method;
  out += R"(","route":")";
  out += line.route;
  out += R"(","status":)";
  AppendNumber(out, line.status);
  // Milliseconds to three decimals, as "{:.3f}" printed them: whole
  // microseconds, rounded.
  const long long us = (line.elapsed.count() + 500) / 1000;
  out += R"(,"ms":)";
  AppendNumber(out, us / 1000);
  const auto frac = static_cast<int>(us % 1000);
  const char decimals[] = {'.', static_cast<char>('0' + frac / 100),
                           static_cast<char>('0' + frac / 10 % 10), static_cast<char>('0' + frac % 10)};
  out.append(decimals, sizeof decimals);
  out += R"(,"ip":")";
  out += line.ip;
  out += R"("})";
}

void LogRequest(const RequestLine& line) {
  spdlog::logger& log = RequestLogger();
  if (!log.should_log(spdlog::level::info)) return;
  thread_local std::string text;  // its capacity is reused
  text.clear();
  AppendRequestLine(text, line);
  log.log(spdlog::level::info, spdlog::string_view_t(text.data(), text.size()));
}

}  // namespace twostep::http
