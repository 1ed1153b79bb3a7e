#include "cli/commands.h"

#include <cstdlib>
#include <iostream>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "cli/display.h"
#include "cli/prompts.h"
#include "cli/terminal.h"

namespace twostep::cli {

namespace json = boost::json;

namespace {

std::string Pad(std::string s, size_t width) {
  if (s.size() > width) s = s.substr(0, width - 1) + "~";  // ids are never cut: see Devices
  return s + std::string(width - s.size() + 1, ' ');
}

// A wrong current password (403 invalid_credentials) ends the command with
// the way out: "Forgot password?".
void ExpectRightPassword(ClientApp& app, const ApiResponse& r) {
  if (r.status == 403 && Str(r.body, "code") == "invalid_credentials")
    throw CliError(ProblemText(r) + "\n" + ForgotPasswordHint(app.profile().email));
}

}  // namespace

int Register(ClientApp& app, const std::string& email, bool password_stdin) {
  std::string password = AskPassword(password_stdin, "Choose a password: ");
  auto r = app.Call("POST", "/v1/accounts",
                    json::object{{"email", email}, {"password", password}, {"app", app.options().app},
                                 {"device", app.DeviceJson()}});
  app.Expect(r, {202});
  std::string id = Str(r.body, "challenge_id");
  app.Print("We sent a 6-digit code to " + email + ". Run: twostep verify-email " + id + " CODE",
            json::object{{"status", "code_sent"}, {"challenge_id", id}});
  return 0;
}

int VerifyEmail(ClientApp& app, const std::string& challenge_id, const std::string& code) {
  auto r = EnterCode(app, "Code from the email: ", code.empty() ? std::nullopt : std::optional(code),
                     [&](const std::string& c) {
                       return app.Call("POST", "/v1/accounts/verify-email",
                                       json::object{{"challenge_id", challenge_id}, {"code", c}});
                     });
  app.Expect(r, {200});
  if (auto s = Str(r.body, "device_secret"); !s.empty())
    app.UpdateProfile([&](Profile& p) { p.device_secret = s; });
  app.Print("Email verified. Run: twostep login", json::object{{"status", "email_verified"}});
  return 0;
}

int Logout(ClientApp& app) {
  auto r = app.Authed("DELETE", "/v1/sessions/current");
  app.Expect(r, {204});
  app.ClearSession();
  app.Print("Signed out.", json::object{{"status", "signed_out"}});
  return 0;
}

int WhoAmI(ClientApp& app) {
  auto r = app.Authed("GET", "/v1/account");
  app.Expect(r, {200});
  app.Print(Str(r.body, "email") + " (account " + Str(r.body, "id") + ", device " +
                app.profile().install_id + ")",
            r.body);
  return 0;
}

int Security(ClientApp& app) {
  auto r = app.Authed("GET", "/v1/account/security");
  app.Expect(r, {200});
  const auto& ts = r.body.as_object().at("two_step");
  std::string text = "Login Security\n";
  if (!ts.as_object().at("available").as_bool()) {
    text += "  Two-Step Verification: not available for this account yet\n";
  } else {
    text += "  Two-Step Verification: " + std::string(ts.as_object().at("enabled").as_bool() ? "ON" : "OFF") +
            " (codes go to: " + Str(ts, "default_method") + ")\n";
  }
  text += "  Trusted devices: " + Str(r.body, "trusted_devices") + "\n";
  text += "  Password changed: " + LocalTime(Str(r.body, "password_changed_at"));
  app.Print(text, r.body);
  return 0;
}

int TwoStepSwitch(ClientApp& app, bool on, bool password_stdin) {
  if (!on) {
    std::string password = AskPassword(password_stdin, "Password: ");
    auto r = app.Authed("POST", "/v1/account/two-step",
                        json::object{{"enabled", false}, {"password", password}});
    ExpectRightPassword(app, r);
    app.Expect(r, {200});
    app.Print("Two-Step Verification is OFF.", json::object{{"enabled", false}});
    return 0;
  }
  auto r = app.Authed("POST", "/v1/account/two-step", json::object{{"enabled", true}});
  if (r.status == 400 && Str(r.body, "code") == "password_required") {
    // A later switch-on (the mailbox was proven before) needs the password.
    std::string password = AskPassword(password_stdin, "Password: ");
    r = app.Authed("POST", "/v1/account/two-step",
                   json::object{{"enabled", true}, {"password", password}});
    ExpectRightPassword(app, r);
  }
  app.Expect(r, {200, 202});
  if (r.status == 200 && !r.body.as_object().contains("device_secret")) {
    // Already on: nothing changed, and this device's trust is as it was.
    app.Print("Two-Step Verification is already ON.", json::object{{"enabled", true}});
    return 0;
  }
  if (r.status == 202) {
    // The first switch-on proves the mailbox: one email, then as many tries
    // at its code as the challenge allows (a wrong one sends no new mail).
    app.Print("", json::object{{"status", "challenge"}, {"challenge", r.body}});
    const std::string id = Str(r.body, "challenge_id");
    std::cerr << "We emailed a code to " << Str(r.body, "destination") << ".\n";
    r = EnterCode(app, "Enter the code from the email: ", std::nullopt, [&](const std::string& code) {
      return app.Authed("POST", "/v1/account/two-step/verify",
                        json::object{{"challenge_id", id}, {"code", code}});
    });
    app.Expect(r, {200});
  }
  const std::string secret = Str(r.body, "device_secret");
  app.UpdateProfile([&](Profile& p) { p.device_secret = secret; });
  app.Print("Two-Step Verification is ON. This device is trusted.", json::object{{"enabled", true}});
  return 0;
}

int Devices(ClientApp& app) {
  auto r = app.Authed("GET", "/v1/account/trusted-devices");
  app.Expect(r, {200});
  std::string text = Pad("ID", 28) + Pad("NAME", 18) + Pad("MODEL", 14) + Pad("APP", 8) +
                     Pad("TRUSTED SINCE", 25) + Pad("LAST SEEN", 25) + "LOCATION\n";
  for (const auto& d : r.body.as_array()) {
    text += Pad(Str(d, "id"), 28) + Pad(Str(d, "name"), 18) + Pad(Str(d, "model"), 14) +
            Pad(Str(d, "app"), 8) + Pad(LocalTime(Str(d, "trusted_at")), 25) +
            Pad(LocalTime(Str(d, "last_seen_at")), 25) + PlaceOf(d.as_object().at("location")) +
            (d.as_object().at("current").as_bool() ? "  (this device)" : "") + "\n";
  }
  text.pop_back();
  app.PrintList(text, r.body.as_array());
  return 0;
}

int RemoveDevice(ClientApp& app, const std::string& id) {
  auto r = app.Authed("DELETE", "/v1/account/trusted-devices/" + id);
  app.Expect(r, {204});
  app.Print("Removed " + id + ": it is signed out and needs a code to sign in again.",
            json::object{{"status", "removed"}, {"id", id}});
  return 0;
}

int Activity(ClientApp& app, int limit, long long before) {
  std::string target = "/v1/account/login-activity?limit=" + std::to_string(limit);
  if (before > 0) target += "&before=" + std::to_string(before);
  auto r = app.Authed("GET", target);
  app.Expect(r, {200});
  std::string text = Pad("TIME", 23) + Pad("WHAT", 44) + Pad("DEVICE", 16) + Pad("APP", 8) +
                     Pad("IP", 16) + Pad("LOCATION", 28) + "TRUSTED DEVICE\n";
  std::string last;
  for (const auto& e : r.body.as_array()) {
    text += Pad(LocalTime(Str(e, "at")), 23) +
            Pad(ActivityWords(Str(e, "event"), Str(e, "outcome"), Str(e, "method")), 44) +
            Pad(Str(e.as_object().at("device"), "name"), 16) + Pad(Str(e, "app"), 8) +
            Pad(Str(e, "ip"), 16) + Pad(PlaceOf(e.as_object().at("location")), 28) +
            (Str(e, "trusted") == "true" ? "yes" : "no") + "\n";
    last = Str(e, "id");
  }
  if (!last.empty() && static_cast<int>(r.body.as_array().size()) == limit)
    text += "More: twostep activity --before " + last + "\n";
  text.pop_back();
  app.PrintList(text, r.body.as_array());
  return 0;
}

int Deny(ClientApp& app, const std::string& challenge_id) {
  auto r = app.Authed("POST", "/v1/challenges/" + challenge_id + "/deny");
  app.Expect(r, {200});
  app.Print("Denied. Whoever tried knows your password: change it now (twostep password change).",
            r.body);
  return 0;
}

int PasswordChange(ClientApp& app, bool password_stdin, bool sign_out_others) {
  std::string current = AskPassword(password_stdin, "Current password: ");
  std::string fresh = AskPassword(password_stdin, "New password: ");
  auto r = app.Authed("POST", "/v1/account/password",
                      json::object{{"current_password", current}, {"new_password", fresh},
                                   {"sign_out_other_devices", sign_out_others}});
  ExpectRightPassword(app, r);
  app.Expect(r, {204});
  app.Print("Password changed.", json::object{{"status", "password_changed"}});
  return 0;
}

int PasswordStrength(ClientApp& app, const std::string& password, const std::string& email) {
  std::string pw = password.empty() ? AskPassword(true, "") : password;
  json::object body{{"password", pw}};
  if (!email.empty()) body["email"] = email;
  auto r = app.Call("POST", "/v1/password/strength", body);
  app.Expect(r, {200});
  int score = static_cast<int>(r.body.as_object().at("score").as_int64());
  static const char* kWords[] = {"Very weak", "Weak", "Fair", "Strong", "Very strong"};
  std::string text = "[" + std::string(score, '#') + std::string(4 - score, '-') + "] " +
                     kWords[score] + (Str(r.body, "acceptable") == "true" ? "" : " - not accepted");
  if (auto w = Str(r.body, "warning"); !w.empty()) text += "\n  " + w;
  for (const auto& s : r.body.as_object().at("suggestions").as_array())
    text += "\n  - " + std::string(s.as_string());
  app.Print(text, r.body);
  return 0;
}

int RolloutGet(ClientApp& app, const std::string& feature, const std::string& app_id) {
  const char* token = std::getenv("TWOSTEP_ADMIN_TOKEN");
  if (!token || !*token) throw CliError("Set TWOSTEP_ADMIN_TOKEN to the server's admin token.");
  ApiResponse r;
  try {
    r = app.api().Send("GET", "/v1/admin/rollout/" + feature + "/" + app_id, std::nullopt, token);
  } catch (const std::runtime_error& e) {
    throw CliError(e.what());
  }
  app.Expect(r, {200});
  app.Print(feature + " for " + app_id + ": " + Str(r.body, "percent") + "% of accounts", r.body);
  return 0;
}

int RolloutSet(ClientApp& app, const std::string& feature, const std::string& app_id, int percent,
               const std::vector<std::string>& allow) {
  const char* token = std::getenv("TWOSTEP_ADMIN_TOKEN");
  if (!token || !*token) throw CliError("Set TWOSTEP_ADMIN_TOKEN to the server's admin token.");
  json::array list;
  for (const auto& e : allow) list.emplace_back(e);
  ApiResponse r;
  try {
    r = app.api().Send("PUT", "/v1/admin/rollout/" + feature + "/" + app_id,
                       json::object{{"percent", percent}, {"allow", std::move(list)}}, token);
  } catch (const std::runtime_error& e) {
    throw CliError(e.what());
  }
  app.Expect(r, {200});
  app.Print(feature + " for " + app_id + " is now at " + Str(r.body, "percent") + "%", r.body);
  return 0;
}

}  // namespace twostep::cli
