#include "app/json_log.h"

#include <stdexcept>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "base/time.h"

namespace twostep::app {

namespace {
class JsonFormatter : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    auto ts = std::chrono::time_point_cast<milliseconds>(msg.time);
    std::string line = R"({"ts":")" + FormatRfc3339(Timestamp(ts.time_since_epoch())) +
                       R"(","level":")" +
                       std::string(spdlog::level::to_string_view(msg.level).data(),
                                   spdlog::level::to_string_view(msg.level).size()) +
                       "\"";
    std::string_view payload(msg.payload.data(), msg.payload.size());
    if (payload.size() >= 2 && payload.front() == '{' && payload.back() == '}') {
      if (payload.size() > 2) line += "," + std::string(payload.substr(1, payload.size() - 2));
      line += "}\n";
    } else {
      line += ",\"msg\":" + boost::json::serialize(boost::json::string(payload)) + "}\n";
    }
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};
}  // namespace

void SetupJsonLogging(const std::string& level) {
  auto lvl = spdlog::level::from_str(level);
  if (lvl == spdlog::level::off && level != "off")
    throw std::invalid_argument("log.level must be trace, debug, info, warn, error, critical or off");
  auto logger = std::make_shared<spdlog::logger>(
      "twostepd", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_formatter(std::make_unique<JsonFormatter>());
  logger->set_level(lvl);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace twostep::app
