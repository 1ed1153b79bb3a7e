#include "i18n/messages.h"

#include <memory>
#include <stdexcept>
#include <unicode/datefmt.h>
#include <unicode/fmtable.h>
#include <unicode/msgfmt.h>

#include "i18n/catalog.h"
#include "i18n/icu_text.h"

namespace twostep::i18n {

namespace {

icu::Formattable ToFormattable(const ArgValue& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return icu::Formattable(ToIcu(*s));
  if (const auto* n = std::get_if<std::int64_t>(&value)) return icu::Formattable(*n);
  const auto ms = static_cast<UDate>(ToMillis(std::get<Timestamp>(value)));
  return icu::Formattable(ms, icu::Formattable::kIsDate);
}

// MessageFormat's date and time sub-formats show the process's default zone:
// each top-level one is replaced by a copy in `zone` (by position: setting a
// format by argument name would give {at, date} and {at, time} one format).
void ShowDatesIn(icu::MessageFormat& format, const icu::TimeZone& zone) {
  int32_t count = 0;
  const icu::Format** formats = format.getFormats(count);
  std::vector<std::pair<int32_t, std::unique_ptr<icu::DateFormat>>> in_zone;
  for (int32_t i = 0; formats != nullptr && i < count; ++i) {
    const auto* date_format = dynamic_cast<const icu::DateFormat*>(formats[i]);
    if (date_format == nullptr) continue;
    in_zone.emplace_back(i, date_format->clone());
    in_zone.back().second->setTimeZone(zone);
  }
  for (const auto& [i, date_format] : in_zone) format.setFormat(i, *date_format);
}

}  // namespace

Args::Args(std::initializer_list<std::pair<std::string_view, ArgValue>> values) {
  for (const auto& [name, value] : values) Set(name, value);
}

Args& Args::Set(std::string_view name, ArgValue value) {
  values_.emplace_back(std::string(name), std::move(value));
  return *this;
}

Args& Args::InTimeZone(std::string_view iana) {
  time_zone_ = std::string(iana);
  return *this;
}

std::string Format(std::string_view lang, std::string_view key, const Args& args) {
  const std::string& pattern = Catalog::BuiltIn().Resolve(lang, key);
  return FormatPattern(lang, pattern, args);
}

std::string FormatPattern(std::string_view lang, std::string_view pattern, const Args& args) {
  UErrorCode status = U_ZERO_ERROR;
  icu::MessageFormat format(ToIcu(pattern), LocaleOf(lang), status);
  if (U_FAILURE(status))
    throw std::logic_error("i18n: a " + std::string(lang) + " message does not parse: " +
                           std::string(pattern));
  ShowDatesIn(format, *ZoneOf(args.time_zone()));

  std::vector<icu::UnicodeString> names;
  std::vector<icu::Formattable> values;
  for (const auto& [name, value] : args.values()) {
    names.push_back(ToIcu(name));
    values.push_back(ToFormattable(value));
  }
  icu::UnicodeString out;
  format.format(names.data(), values.data(), static_cast<int32_t>(names.size()), out, status);
  if (U_FAILURE(status))
    throw std::logic_error("i18n: a " + std::string(lang) +
                           " message cannot be formatted with these arguments: " + std::string(pattern));
  return FromIcu(out);
}

}  // namespace twostep::i18n
