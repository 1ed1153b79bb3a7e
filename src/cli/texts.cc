#include "cli/texts.h"

#include <ctime>

#include "i18n/messages.h"

namespace twostep::cli {

namespace {

// "2026-11-24T16:15:22.105Z" (the API's times: RFC 3339 in UTC).
std::optional<Timestamp> ParseUtc(const std::string& text) {
  std::tm utc{};
  const char* end = ::strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &utc);
  if (!end) return std::nullopt;
  int millis = 0;
  if (*end == '.') {
    int digits = 0;
    for (++end; *end >= '0' && *end <= '9'; ++end)
      if (digits++ < 3) millis = millis * 10 + (*end - '0');
    for (; digits < 3; ++digits) millis *= 10;
  }
  if (std::string(end) != "Z") return std::nullopt;
  return Timestamp(seconds(::timegm(&utc))) + milliseconds(millis);
}

}  // namespace

Texts::Texts(std::string lang, std::string zone) : lang_(std::move(lang)), zone_(std::move(zone)) {}

std::string Texts::operator()(std::string_view key, const TextArgs& args) const {
  i18n::Args icu_args;
  icu_args.InTimeZone(zone_);
  for (const auto& [name, value] : args)
    std::visit([&, &name = name](const auto& v) { icu_args.Set(name, v); }, value);
  return i18n::Format(lang_, key, icu_args);
}

std::string Texts::Time(const std::string& rfc3339_utc) const {
  auto at = ParseUtc(rfc3339_utc);
  return at ? i18n::FormatInstant(lang_, zone_, *at) : rfc3339_utc;
}

}  // namespace twostep::cli
