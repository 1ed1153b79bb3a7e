#include "cli/commands.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "cli/display.h"
#include "cli/language.h"
#include "cli/prompts.h"
#include "cli/table.h"
#include "cli/terminal.h"

namespace twostep::cli {

namespace json = boost::json;

namespace {

// A wrong current password (403 invalid_credentials) ends the command with
// the way out: "Forgot password?".
void ExpectRightPassword(ClientApp& app, const ApiResponse& r) {
  if (r.status == 403 && Str(r.body, "code") == "invalid_credentials")
    throw CliError(ProblemText(app.texts(), r) + "\n" +
                   ForgotPasswordHint(app, app.profile().email));
}

// The time zone sent at registration: the terminal's, when ICU knows it.
std::string RegistrationZone() { return TerminalTimeZone(); }

}  // namespace

int Register(ClientApp& app, const std::string& email, bool password_stdin) {
  std::string password = AskPassword(app, password_stdin, app.Text("cli.prompt.choose_password"));
  // The account speaks the language this run speaks (--lang, else the
  // terminal's) and shows times in the terminal's zone (SPEC U17).
  auto r = app.Call("POST", "/v1/accounts",
                    json::object{{"email", email}, {"password", password}, {"app", app.options().app},
                                 {"device", app.DeviceJson()}, {"locale", app.texts().lang()},
                                 {"time_zone", RegistrationZone()}});
  app.Expect(r, {202});
  std::string id = Str(r.body, "challenge_id");
  app.Print(app.Text("cli.register.code_sent", {{"email", email}, {"challenge_id", id}}),
            json::object{{"status", "code_sent"}, {"challenge_id", id}});
  return 0;
}

int VerifyEmail(ClientApp& app, const std::string& challenge_id, const std::string& code) {
  auto r = EnterCode(app, app.Text("cli.prompt.email_code"), code.empty() ? std::nullopt : std::optional(code),
                     [&](const std::string& c) {
                       return app.Call("POST", "/v1/accounts/verify-email",
                                       json::object{{"challenge_id", challenge_id}, {"code", c}});
                     });
  app.Expect(r, {200});
  if (auto s = Str(r.body, "device_secret"); !s.empty())
    app.UpdateProfile([&](Profile& p) { p.device_secret = s; });
  app.Print(app.Text("cli.verify_email.done"), json::object{{"status", "email_verified"}});
  return 0;
}

int Logout(ClientApp& app) {
  auto r = app.Authed("DELETE", "/v1/sessions/current");
  app.Expect(r, {204});
  app.ClearSession();
  app.Print(app.Text("cli.logout.done"), json::object{{"status", "signed_out"}});
  return 0;
}

int WhoAmI(ClientApp& app) {
  auto r = app.Authed("GET", "/v1/account");
  app.Expect(r, {200});
  app.LearnAccount(r.body);
  app.Print(app.Text("cli.whoami",
                     {{"email", Str(r.body, "email")}, {"account", Str(r.body, "id")},
                      {"device", app.profile().install_id},
                      {"locale", LanguageName(app.texts(), Str(r.body, "locale"))},
                      {"time_zone", Str(r.body, "time_zone")}}),
            r.body);
  return 0;
}

int Security(ClientApp& app) {
  auto r = app.Authed("GET", "/v1/account/security");
  app.Expect(r, {200});
  const auto& ts = r.body.as_object().at("two_step");
  const Texts t = app.texts();
  std::string text = t("cli.security.title") + "\n";
  if (!ts.as_object().at("available").as_bool())
    text += "  " + t("cli.security.two_step_unavailable") + "\n";
  else
    text += "  " +
            t("cli.security.two_step",
              {{"state", t(ts.as_object().at("enabled").as_bool() ? "common.state.on"
                                                                   : "common.state.off")},
               {"channel", Str(ts, "default_method") == "email" ? t("common.channel.email")
                                                                : t("common.channel.app")}}) +
            "\n";
  text += "  " +
          t("cli.security.trusted_devices",
            {{"count", std::int64_t{std::atoll(Str(r.body, "trusted_devices").c_str())}}}) +
          "\n";
  text += "  " + t("cli.security.password_changed",
                   {{"time", t.Time(Str(r.body, "password_changed_at"))}});
  if (const auto* ok = r.body.as_object().if_contains("email_deliverable");
      ok && ok->is_bool() && !ok->as_bool())
    text += "\n  " + t("cli.security.email_undeliverable", {{"email", Str(r.body, "email_masked")}});
  app.Print(text, r.body);
  return 0;
}

int TwoStepSwitch(ClientApp& app, bool on, bool password_stdin) {
  if (!on) {
    std::string password = AskPassword(app, password_stdin, app.Text("cli.prompt.password"));
    auto r = app.Authed("POST", "/v1/account/two-step",
                        json::object{{"enabled", false}, {"password", password}});
    ExpectRightPassword(app, r);
    app.Expect(r, {200});
    app.Print(app.Text("cli.two_step.off"), json::object{{"enabled", false}});
    return 0;
  }
  auto r = app.Authed("POST", "/v1/account/two-step", json::object{{"enabled", true}});
  if (r.status == 400 && Str(r.body, "code") == "password_required") {
    // A later switch-on (the mailbox was proven before) needs the password.
    std::string password = AskPassword(app, password_stdin, app.Text("cli.prompt.password"));
    r = app.Authed("POST", "/v1/account/two-step",
                   json::object{{"enabled", true}, {"password", password}});
    ExpectRightPassword(app, r);
  }
  app.Expect(r, {200, 202});
  if (r.status == 200 && !r.body.as_object().contains("device_secret")) {
    // Already on: nothing changed, and this device's trust is as it was.
    app.Print(app.Text("cli.two_step.already_on"), json::object{{"enabled", true}});
    return 0;
  }
  if (r.status == 202) {
    // The first switch-on proves the mailbox: one email, then as many tries
    // at its code as the challenge allows (a wrong one sends no new mail).
    app.Print("", json::object{{"status", "challenge"}, {"challenge", r.body}});
    const std::string id = Str(r.body, "challenge_id");
    std::cerr << app.Text("cli.two_step.code_sent", {{"destination", Str(r.body, "destination")}})
              << "\n";
    r = EnterCode(app, app.Text("cli.prompt.email_code"), std::nullopt, [&](const std::string& code) {
      return app.Authed("POST", "/v1/account/two-step/verify",
                        json::object{{"challenge_id", id}, {"code", code}});
    });
    app.Expect(r, {200});
  }
  const std::string secret = Str(r.body, "device_secret");
  app.UpdateProfile([&](Profile& p) { p.device_secret = secret; });
  app.Print(app.Text("cli.two_step.on"), json::object{{"enabled", true}});
  return 0;
}

int Devices(ClientApp& app) {
  auto r = app.Authed("GET", "/v1/account/trusted-devices");
  app.Expect(r, {200});
  const Texts t = app.texts();
  // Limits only against absurd values: times carry the zone's long name.
  Table table({{t("cli.devices.id"), 64},
               {t("cli.devices.name"), 24},
               {t("cli.devices.model"), 16},
               {t("cli.devices.app"), 10},
               {t("cli.devices.trusted_since"), 64},
               {t("cli.devices.last_seen"), 64},
               {t("cli.devices.location"), 64}});
  for (const auto& d : r.body.as_array()) {
    std::string place = PlaceOf(t, d.as_object().at("location"));
    if (d.as_object().at("current").as_bool()) place += "  " + t("cli.devices.this_device");
    table.Add({Str(d, "id"), Str(d, "name"), Str(d, "model"), Str(d, "app"),
               t.Time(Str(d, "trusted_at")), t.Time(Str(d, "last_seen_at")), place});
  }
  std::string text = table.Render();
  text.pop_back();
  app.PrintList(text, r.body.as_array());
  return 0;
}

int RemoveDevice(ClientApp& app, const std::string& id) {
  auto r = app.Authed("DELETE", "/v1/account/trusted-devices/" + id);
  app.Expect(r, {204});
  app.Print(app.Text("cli.devices.removed", {{"id", id}}),
            json::object{{"status", "removed"}, {"id", id}});
  return 0;
}

int Activity(ClientApp& app, int limit, long long before) {
  std::string target = "/v1/account/login-activity?limit=" + std::to_string(limit);
  if (before > 0) target += "&before=" + std::to_string(before);
  auto r = app.Authed("GET", target);
  app.Expect(r, {200});
  const Texts t = app.texts();
  Table table({{t("cli.activity.time"), 64},
               {t("cli.activity.what"), 64},
               {t("cli.activity.device"), 20},
               {t("cli.activity.app"), 10},
               {t("cli.activity.ip"), 39},
               {t("cli.activity.location"), 32},
               {t("cli.activity.trusted"), 16}});
  std::string last;
  for (const auto& e : r.body.as_array()) {
    table.Add({t.Time(Str(e, "at")),
               ActivityWords(t, Str(e, "event"), Str(e, "outcome"), Str(e, "method")),
               Str(e.as_object().at("device"), "name"), Str(e, "app"), Str(e, "ip"),
               PlaceOf(t, e.as_object().at("location")),
               t(Str(e, "trusted") == "true" ? "common.device.trusted"
                                             : "common.device.not_trusted")});
    last = Str(e, "id");
  }
  std::string text = table.Render();
  if (!last.empty() && static_cast<int>(r.body.as_array().size()) == limit)
    text += t("cli.activity.more", {{"before", last}}) + "\n";
  text.pop_back();
  app.PrintList(text, r.body.as_array());
  return 0;
}

int Deny(ClientApp& app, const std::string& challenge_id) {
  auto r = app.Authed("POST", "/v1/challenges/" + challenge_id + "/deny");
  app.Expect(r, {200});
  app.Print(app.Text("cli.deny.done"), r.body);
  return 0;
}

int PasswordChange(ClientApp& app, bool password_stdin, bool sign_out_others) {
  std::string current = AskPassword(app, password_stdin, app.Text("cli.prompt.current_password"));
  std::string fresh = AskPassword(app, password_stdin, app.Text("cli.prompt.new_password"));
  auto r = app.Authed("POST", "/v1/account/password",
                      json::object{{"current_password", current}, {"new_password", fresh},
                                   {"sign_out_other_devices", sign_out_others}});
  ExpectRightPassword(app, r);
  app.Expect(r, {204});
  app.Print(app.Text("cli.password.changed"), json::object{{"status", "password_changed"}});
  return 0;
}

int PasswordStrength(ClientApp& app, const std::string& password, const std::string& email) {
  std::string pw = password.empty() ? AskPassword(app, true, "") : password;
  json::object body{{"password", pw}};
  if (!email.empty()) body["email"] = email;
  auto r = app.Call("POST", "/v1/password/strength", body);
  app.Expect(r, {200});
  int score = static_cast<int>(r.body.as_object().at("score").as_int64());
  score = std::clamp(score, 0, 4);
  std::string text = "[" + std::string(score, '#') + std::string(4 - score, '-') + "] " +
                     app.Text("cli.strength.score", {{"score", std::int64_t{score}}});
  if (Str(r.body, "acceptable") != "true") text += " - " + app.Text("cli.strength.not_accepted");
  if (auto w = Str(r.body, "warning"); !w.empty()) text += "\n  " + w;
  for (const auto& s : r.body.as_object().at("suggestions").as_array())
    text += "\n  - " + std::string(s.as_string());
  app.Print(text, r.body);
  return 0;
}

int RolloutGet(ClientApp& app, const std::string& feature, const std::string& app_id) {
  const char* token = std::getenv("TWOSTEP_ADMIN_TOKEN");
  if (!token || !*token) throw CliError(app.Text("cli.admin.no_token"));
  ApiResponse r;
  try {
    r = app.api().Send("GET", "/v1/admin/rollout/" + feature + "/" + app_id, std::nullopt, token);
  } catch (const TextError& e) {
    throw CliError(e.Render(app.texts()));
  }
  app.Expect(r, {200});
  app.Print(app.Text("cli.rollout.get", {{"feature", feature}, {"app", app_id},
                                          {"percent", std::int64_t{std::atoll(Str(r.body, "percent").c_str())}}}),
            r.body);
  return 0;
}

int RolloutSet(ClientApp& app, const std::string& feature, const std::string& app_id, int percent,
               const std::vector<std::string>& allow) {
  const char* token = std::getenv("TWOSTEP_ADMIN_TOKEN");
  if (!token || !*token) throw CliError(app.Text("cli.admin.no_token"));
  json::array list;
  for (const auto& e : allow) list.emplace_back(e);
  ApiResponse r;
  try {
    r = app.api().Send("PUT", "/v1/admin/rollout/" + feature + "/" + app_id,
                       json::object{{"percent", percent}, {"allow", std::move(list)}}, token);
  } catch (const TextError& e) {
    throw CliError(e.Render(app.texts()));
  }
  app.Expect(r, {200});
  app.Print(app.Text("cli.rollout.set", {{"feature", feature}, {"app", app_id},
                                          {"percent", std::int64_t{std::atoll(Str(r.body, "percent").c_str())}}}),
            r.body);
  return 0;
}

}  // namespace twostep::cli
