// Which language and time zone the `twostep` client speaks in (SPEC U17,
// docs/I18N.md): `--lang`, else the account's language once signed in (kept
// in the profile), else the POSIX locale variables, else English. The
// choice itself is a pure function of its sources.
#pragma once

#include <optional>
#include <string>

#include "cli/texts.h"

namespace twostep::cli {

struct LanguageSources {
  std::string flag;     // --lang, as typed ("de", "zh-TW", "ja_JP")
  std::string account;  // the account's `locale` from the profile; "" when signed out
  // The environment: LC_ALL, LC_MESSAGES, LANG (POSIX order of precedence).
  std::string lc_all;
  std::string lc_messages;
  std::string lang;
};

// The catalog language to speak: the first source that is set decides
// (flag, account, then the first non-empty of LC_ALL, LC_MESSAGES, LANG);
// a locale of a language the catalog does not have ("sv_SE", "C") means
// English.
std::string ChooseLanguage(const LanguageSources& sources);

// The catalog language for a --lang value (a BCP 47 tag or a POSIX locale
// name), or nullopt when it names none of the catalog's languages.
std::optional<std::string> LanguageForFlag(const std::string& flag);

// The sources from this process's environment, with `flag` and `account`.
LanguageSources EnvironmentLanguage(std::string flag, std::string account);

// The IANA name of a time zone from a TZ value (":Europe/Prague" or
// "Europe/Prague") and the target of /etc/localtime
// ("/usr/share/zoneinfo/Europe/Prague"), in that order; "UTC" when neither
// names a zone ICU knows (POSIX rules like "CET-1CEST" are not names).
std::string ZoneName(const std::string& tz_env, const std::string& localtime_target);

// ZoneName of this process's TZ and /etc/localtime: the zone sent at
// registration, and the one times are shown in before the account's is known.
std::string TerminalTimeZone();

// A language by its own name ("Deutsch", "日本語": common.language.<tag>);
// a tag the catalog lacks as it is.
std::string LanguageName(const Texts& t, const std::string& tag);

// True when ICU knows `zone` as an IANA time zone name.
bool IsKnownZone(const std::string& zone);

}  // namespace twostep::cli
