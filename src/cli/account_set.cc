// `twostep account set --lang de --time-zone Europe/Berlin`: the language
// of the account's mails, screens and this client, and the zone its times
// are shown in (PATCH /v1/account, SPEC U17).
#include <boost/json.hpp>

#include "cli/commands.h"
#include "cli/language.h"
#include "cli/prompts.h"

namespace twostep::cli {

namespace json = boost::json;

int AccountSet(ClientApp& app, const std::string& locale, const std::string& time_zone) {
  json::object body;
  // The catalog's own tag ("zh-TW" on the command line is zh-Hant).
  if (!locale.empty()) body["locale"] = LanguageForFlag(locale).value_or(locale);
  if (!time_zone.empty()) body["time_zone"] = time_zone;
  if (body.empty()) throw CliError(app.Text("cli.account.nothing_to_set"), 106);
  auto r = app.Authed("PATCH", "/v1/account", body);
  app.Expect(r, {200});
  app.LearnAccount(r.body);
  app.Print(app.Text("cli.account.updated",
                     {{"locale", LanguageName(app.texts(), Str(r.body, "locale"))},
                      {"time_zone", Str(r.body, "time_zone")}}),
            r.body);
  return 0;
}

}  // namespace twostep::cli
