#include "cli/display.h"

#include <ctime>

#include <boost/json.hpp>

namespace twostep::cli {

namespace json = boost::json;

namespace {

std::string Field(const json::value& v, const char* key) {
  auto* x = v.is_object() ? v.as_object().if_contains(key) : nullptr;
  return x && x->is_string() ? std::string(x->as_string()) : std::string();
}

}  // namespace

std::string LocalTime(const std::string& rfc3339_utc) {
  std::tm utc{};
  const char* end = ::strptime(rfc3339_utc.c_str(), "%Y-%m-%dT%H:%M:%S", &utc);
  if (!end) return rfc3339_utc;
  while (*end == '.' || (*end >= '0' && *end <= '9')) ++end;  // fractions of a second
  if (std::string(end) != "Z") return rfc3339_utc;
  std::time_t t = ::timegm(&utc);
  std::tm local{};
  ::localtime_r(&t, &local);
  char out[64];
  if (std::strftime(out, sizeof out, "%Y-%m-%d %H:%M:%S %Z", &local) == 0) return rfc3339_utc;
  return out;
}

std::string PlaceOf(const json::value& location) {
  std::string out;
  for (const char* k : {"city", "region", "country"}) {
    std::string part = Field(location, k);
    if (!part.empty() && out.find(part) == std::string::npos)
      out += (out.empty() ? "" : ", ") + part;
  }
  return out.empty() ? "Unknown" : out;
}

std::string ActivityWords(const std::string& event, const std::string& outcome,
                          const std::string& method) {
  if (event == "sign_in") {
    if (outcome == "success")
      return method == "app"     ? "Signed in with a code from a trusted device"
             : method == "email" ? "Signed in with a code by email"
                                 : "Signed in";
    if (outcome == "failed") return "Wrong password";
    if (outcome == "challenged") return "Password right, code requested";
  }
  if (event == "challenge_sent") {
    std::string where = method == "email" ? "by email" : "to trusted devices";
    return (outcome == "resent" ? "Code sent again " : "Code sent ") + where;
  }
  if (event == "code_failed") return "Wrong code entered";
  if (event == "challenge_denied") return "Sign-in denied from a trusted device";
  if (event == "device_removed") return "Trusted device removed";
  if (event == "two_step_change")
    return outcome == "disabled" ? "Two-Step Verification turned off"
                                 : "Two-Step Verification turned on";
  if (event == "password_change") return "Password changed";
  if (event == "password_reset") return "Password reset with an emailed code";
  std::string words = event;
  for (char& c : words)
    if (c == '_') c = ' ';
  if (!words.empty() && words[0] >= 'a' && words[0] <= 'z')
    words[0] = static_cast<char>(words[0] - 32);
  return outcome.empty() ? words : words + ": " + outcome;
}

std::string ResolvedWords(const std::string& outcome) {
  if (outcome == "verified") return "was approved: the device signed in.";
  if (outcome == "denied") return "was denied.";
  if (outcome == "expired") return "expired.";
  if (outcome == "exhausted") return "ended after too many wrong codes.";
  if (outcome == "moved_to_email")
    return "moved to email: the code is being sent by email instead.";
  return "ended.";
}

}  // namespace twostep::cli
