#include "cli/language.h"

#include <unistd.h>

#include <climits>
#include <cstdlib>

#include "i18n/messages.h"

namespace twostep::cli {

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

std::optional<std::string> LanguageForFlag(const std::string& flag) {
  if (i18n::IsLanguage(flag)) return flag;
  // A POSIX name ("ja_JP.UTF-8") or another BCP 47 tag ("zh-TW", "de-AT"):
  // the catalog's closest language, if any.
  std::string lang = i18n::LanguageFromPosixLocale(flag);
  if (lang.empty()) return std::nullopt;
  return lang;
}

std::string ChooseLanguage(const LanguageSources& s) {
  if (auto lang = LanguageForFlag(s.flag)) return *lang;
  if (auto lang = LanguageForFlag(s.account)) return *lang;
  // POSIX: the first of these that is set decides, even for a language the
  // catalog lacks (then English), as gettext does.
  for (const std::string* v : {&s.lc_all, &s.lc_messages, &s.lang})
    if (!v->empty()) return LanguageForFlag(*v).value_or(std::string(i18n::kDefaultLanguage));
  return std::string(i18n::kDefaultLanguage);
}

LanguageSources EnvironmentLanguage(std::string flag, std::string account) {
  return {std::move(flag), std::move(account), Env("LC_ALL"), Env("LC_MESSAGES"), Env("LANG")};
}

std::string LanguageName(const Texts& t, const std::string& tag) {
  return i18n::IsLanguage(tag) ? t("common.language." + tag) : tag;
}

bool IsKnownZone(const std::string& zone) { return i18n::IsTimeZone(zone); }

std::string ZoneName(const std::string& tz_env, const std::string& localtime_target) {
  std::string tz = tz_env.rfind(':', 0) == 0 ? tz_env.substr(1) : tz_env;
  if (tz.rfind('/', 0) == 0) {  // a path to a zone file, like /etc/localtime's target
    auto at = tz.find("zoneinfo/");
    tz = at == std::string::npos ? "" : tz.substr(at + 9);
  }
  if (IsKnownZone(tz)) return tz;
  auto at = localtime_target.find("zoneinfo/");
  if (at != std::string::npos) {
    std::string zone = localtime_target.substr(at + 9);
    if (zone.rfind("posix/", 0) == 0) zone = zone.substr(6);
    if (IsKnownZone(zone)) return zone;
  }
  return "UTC";
}

std::string TerminalTimeZone() {
  char target[PATH_MAX] = {};
  ssize_t n = ::readlink("/etc/localtime", target, sizeof target - 1);
  return ZoneName(Env("TZ"), n > 0 ? std::string(target, static_cast<size_t>(n)) : "");
}

}  // namespace twostep::cli
