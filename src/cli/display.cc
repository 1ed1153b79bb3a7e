#include "cli/display.h"

#include <boost/json.hpp>

#include "i18n/messages.h"

namespace twostep::cli {

namespace json = boost::json;

namespace {

std::string Field(const json::value& v, const char* key) {
  auto* x = v.is_object() ? v.as_object().if_contains(key) : nullptr;
  return x && x->is_string() ? std::string(x->as_string()) : std::string();
}

// The (event, outcome) pairs the server records, each worded once in the
// shared vocabulary as common.activity.<event>.<outcome> (docs/I18N.md).
constexpr const char* kActivities[] = {
    "sign_in.success",           "sign_in.failed",           "sign_in.challenged",
    "challenge_sent.sent",       "challenge_sent.resent",    "code_failed.invalid_code",
    "challenge_denied.denied",   "device_removed.removed",   "two_step_change.enabled",
    "two_step_change.disabled",  "two_step_change.failed",   "password_change.success",
    "password_change.failed",    "password_reset.success"};

constexpr const char* kResolutions[] = {"verified", "denied", "expired", "exhausted",
                                        "moved_to_email"};

}  // namespace

std::string PlaceOf(const Texts& t, const json::value& location) {
  // The country in the user's language (CLDR), city and region as the
  // GeoIP database names them.
  std::string country = Field(location, "country_code");
  country = country.empty() ? Field(location, "country") : i18n::CountryName(t.lang(), country);
  std::string out;
  for (const std::string& part : {Field(location, "city"), Field(location, "region"), country})
    if (!part.empty() && out.find(part) == std::string::npos)
      out += (out.empty() ? "" : t("cli.place.separator")) + part;
  return out.empty() ? t("common.location.unknown") : out;
}

std::string ActivityWords(const Texts& t, const std::string& event, const std::string& outcome,
                          const std::string& method) {
  const std::string pair = event + "." + outcome;
  for (const char* known : kActivities)
    if (pair == known) return t("common.activity." + pair, {{"method", method}});
  // A pair a newer server records: its names, readably.
  auto readable = [](std::string words) {
    for (char& c : words)
      if (c == '_') c = ' ';
    return words;
  };
  return t("common.activity.other", {{"event", readable(event)}, {"outcome", readable(outcome)}});
}

std::string ResolvedWords(const Texts& t, const std::string& who, const std::string& outcome) {
  std::string resolution;
  for (const char* known : kResolutions)
    if (outcome == known) resolution = t(std::string("common.resolution.") + known);
  if (resolution.empty()) resolution = outcome;
  std::string text = t("cli.listen.resolved", {{"who", who}, {"resolution", resolution}});
  if (outcome != "verified") text += " " + t("cli.listen.code_dead");
  return text;
}

}  // namespace twostep::cli
