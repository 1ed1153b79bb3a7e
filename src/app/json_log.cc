#include "app/json_log.h"

#include <unistd.h>

#include <stdexcept>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include "app/line_buffer_sink.h"
#include "base/time.h"

namespace twostep::app {

namespace {
class JsonFormatter : public spdlog::formatter {
 public:
  // Appends straight to `dest` (no temporary strings: this runs once per
  // request, under the sink's lock).
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    auto ts = std::chrono::time_point_cast<milliseconds>(msg.time);
    Append(dest, R"({"ts":")");
    Append(dest, FormatRfc3339(Timestamp(ts.time_since_epoch())));
    Append(dest, R"(","level":")");
    auto level = spdlog::level::to_string_view(msg.level);
    Append(dest, std::string_view(level.data(), level.size()));
    Append(dest, "\"");
    std::string_view payload(msg.payload.data(), msg.payload.size());
    if (payload.size() >= 2 && payload.front() == '{' && payload.back() == '}') {
      if (payload.size() > 2) {
        Append(dest, ",");
        Append(dest, payload.substr(1, payload.size() - 2));
      }
    } else {
      Append(dest, ",\"msg\":");
      Append(dest, boost::json::serialize(boost::json::string(payload)));
    }
    Append(dest, "}\n");
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }

 private:
  static void Append(spdlog::memory_buf_t& dest, std::string_view s) {
    dest.append(s.data(), s.data() + s.size());
  }
};
}  // namespace

void SetupJsonLogging(const std::string& level) {
  auto lvl = spdlog::level::from_str(level);
  if (lvl == spdlog::level::off && level != "off")
    throw std::invalid_argument("log.level must be trace, debug, info, warn, error, critical or off");
  // One sink for both loggers, so that their lines share one buffer and
  // reach stderr in order (app/line_buffer_sink.h).
  auto sink = std::make_shared<LineBufferSink>(STDERR_FILENO);
  sink->set_formatter(std::make_unique<JsonFormatter>());
  auto logger = std::make_shared<spdlog::logger>("twostepd", sink);
  logger->set_level(lvl);
  logger->flush_on(spdlog::level::trace);
  spdlog::drop(std::string(LineBufferSink::kBufferedLogger));
  auto requests = std::make_shared<spdlog::logger>(std::string(LineBufferSink::kBufferedLogger), sink);
  requests->set_level(lvl);
  requests->flush_on(spdlog::level::off);
  spdlog::register_logger(requests);
  spdlog::set_default_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
}

}  // namespace twostep::app
