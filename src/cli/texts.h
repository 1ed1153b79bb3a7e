// Texts: the words of the `twostep` client in one language, from the
// catalog (locales/<lang>/cli.json and common.json, compiled in; see
// docs/I18N.md), rendered with ICU MessageFormat through src/i18n, and the
// times it shows, formatted by ICU in that language and a time zone named
// with them. No sentence of the client lives in its code: every one is a key
// here. Immutable once built; copies are cheap; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace twostep::cli {

// A value for a placeholder: text, or a number (for plural and number
// formats).
using TextArg = std::variant<std::string, std::int64_t>;
using TextArgs = std::vector<std::pair<std::string, TextArg>>;

class Texts {
 public:
  // `lang`: one of the catalog's languages (see ChooseLanguage); `zone`: an
  // IANA time zone name for the times shown ("UTC" when it is unknown).
  Texts(std::string lang, std::string zone);

  // The message `key` ("cli.login.signed_in") with its placeholders filled.
  // A key missing in English is a programming error (std::logic_error from
  // i18n::Format; the catalog test keeps the files complete).
  std::string operator()(std::string_view key, const TextArgs& args = {}) const;

  // "2026-11-24T16:15:22.105Z" as a date and time of this language in the
  // zone, with the zone's name (i18n::FormatInstant: "Nov 24, 2026, 5:15 PM
  // Central European Standard Time"). Anything that is not an RFC 3339 UTC
  // time is returned as it is.
  std::string Time(const std::string& rfc3339_utc) const;

  const std::string& lang() const { return lang_; }
  const std::string& zone() const { return zone_; }

 private:
  std::string lang_;
  std::string zone_;
};

// A failure below the client's commands (profile files, the connection)
// told by its catalog key, rendered in the user's language where it is
// caught (ClientApp, main). what() is the key.
class TextError : public std::runtime_error {
 public:
  TextError(std::string key, TextArgs args = {})
      : std::runtime_error(key), key_(std::move(key)), args_(std::move(args)) {}
  std::string Render(const Texts& texts) const { return texts(key_, args_); }

 private:
  std::string key_;
  TextArgs args_;
};

}  // namespace twostep::cli
