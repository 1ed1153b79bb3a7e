#include "cli/commands.h"

#include <cstdlib>
#include <iostream>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "cli/terminal.h"

namespace twostep::cli {

namespace json = boost::json;

namespace {

std::string Str(const json::value& v, const char* key) {
  if (!v.is_object()) return "";
  auto* x = v.as_object().if_contains(key);
  if (!x) return "";
  if (x->is_string()) return std::string(x->as_string());
  if (x->is_int64()) return std::to_string(x->as_int64());
  if (x->is_bool()) return x->as_bool() ? "true" : "false";
  return "";
}

std::string Password(bool from_stdin, const std::string& prompt) {
  auto p = from_stdin ? ReadLine("") : ReadPassword(prompt);
  if (!p || p->empty()) throw CliError("No password given.");
  return *p;
}

std::string Location(const json::value& loc) {
  if (!loc.is_object()) return "Unknown";
  std::string out;
  for (const char* k : {"city", "region", "country"}) {
    std::string part = Str(loc, k);
    if (!part.empty()) out += (out.empty() ? "" : ", ") + part;
  }
  return out.empty() ? "Unknown" : out;
}

std::string Pad(std::string s, size_t width) {
  if (s.size() > width) s = s.substr(0, width - 1) + "~";  // ids are never cut: see Devices
  return s + std::string(width - s.size() + 1, ' ');
}

}  // namespace

int Register(ClientApp& app, const std::string& email, bool password_stdin) {
  std::string password = Password(password_stdin, "Choose a password: ");
  auto r = app.Call("POST", "/v1/accounts",
                    json::object{{"email", email}, {"password", password}, {"app", app.options().app},
                                 {"device", app.DeviceJson()}});
  app.Expect(r, {202});
  std::string id = Str(r.body, "challenge_id");
  app.Print("We sent a 6-digit code to " + email + ". Run: twostep verify-email " + id + " CODE",
            json::object{{"status", "code_sent"}, {"challenge_id", id}});
  return 0;
}

int VerifyEmail(ClientApp& app, const std::string& challenge_id, std::string code) {
  if (code.empty()) {
    auto line = ReadLine("Code from the email: ");
    if (!line) throw CliError("No code given.");
    code = *line;
  }
  auto r = app.Call("POST", "/v1/accounts/verify-email",
                    json::object{{"challenge_id", challenge_id}, {"code", code}});
  app.Expect(r, {200});
  if (auto s = Str(r.body, "device_secret"); !s.empty()) {
    app.profile().device_secret = s;
    app.Save();
  }
  app.Print("Email verified. Run: twostep login", json::object{{"status", "email_verified"}});
  return 0;
}

namespace {

// The "Did not receive a code?" choice: email is offered as working only
// when the challenge lists it (the server leaves it out after a permanent
// refusal of the address); it may still be tried.
std::string EmailOffer(const json::value& challenge) {
  const auto* methods = challenge.as_object().if_contains("methods");
  if (methods && methods->is_array())
    for (const auto& m : methods->as_array())
      if (m.is_string() && m.as_string() == "email") return "Did not receive a code? Receive code via email";
  return "try email anyway: we could not deliver mail to your address recently";
}

// The code step of a sign-in: prompts (or reads script lines) until the
// challenge is verified, fails, or input ends.
int AnswerChallenge(ClientApp& app, json::value challenge, bool trust) {
  std::string id = Str(challenge, "challenge_id");
  while (true) {
    if (app.options().json) {
      app.Print("", json::object{{"status", "challenge"}, {"challenge", challenge}});
    } else {
      std::cerr << "Two-Step Verification: a code was sent to " << Str(challenge, "destination")
                << ".\n";
    }
    std::string resend_in = Str(challenge, "resend_in");
    std::string hint = resend_in == "0" ? "r = resend" : "r = resend in " + resend_in + " s";
    auto line = ReadLine("Enter the code (" + hint + ", e = " + EmailOffer(challenge) + "): ");
    if (!line) throw CliError("No code entered.");
    std::string in = *line;
    if (in == "r" || in == "resend" || in == "e" || in == "email") {
      std::string method = (in == "e" || in == "email") ? "email" : Str(challenge, "method");
      auto r = app.Call("POST", "/v1/challenges/" + id + "/resend", json::object{{"method", method}});
      if (r.status == 429) {
        std::cerr << "Please wait " << Str(r.body, "retry_after") << " s before another code.\n";
        continue;
      }
      app.Expect(r, {200});
      challenge = r.body;
      continue;
    }
    auto r = app.Call("POST", "/v1/challenges/" + id + "/verify",
                      json::object{{"code", in}, {"trust_device", trust}});
    if (r.status == 400 && Str(r.body, "code") == "invalid_code") {
      std::string left = Str(r.body, "attempts_left");
      if (app.options().json)
        app.Print("", json::object{{"status", "invalid_code"}, {"attempts_left", std::atoi(left.c_str())}});
      else
        std::cerr << "That code is not correct. Attempts left: " << left << ".\n";
      if (left == "0") throw CliError("Too many wrong codes. Sign in again. (challenge_expired)");
      continue;
    }
    app.Expect(r, {200});
    app.SaveSession(r.body);
    bool trusted = !Str(r.body, "device_secret").empty();
    app.Print("Signed in as " + app.profile().email + (trusted ? " (this device is now trusted)" : ""),
              json::object{{"status", "signed_in"}, {"email", app.profile().email},
                           {"trusted", trusted}});
    return 0;
  }
}

}  // namespace

int Login(ClientApp& app, const LoginArgs& args) {
  std::string password = Password(args.password_stdin, "Password: ");
  json::object body{{"email", args.email}, {"password", password}, {"device", app.DeviceJson()}};
  if (!app.profile().device_secret.empty()) body["device_secret"] = app.profile().device_secret;
  auto r = app.Call("POST", "/v1/sessions", body);
  if (r.status == 202) return AnswerChallenge(app, r.body, !args.no_trust);
  if (r.status == 403 && Str(r.body, "code") == "email_not_verified") {
    std::string id = Str(r.body, "challenge_id");
    throw CliError("Verify your email first: a new code was sent. Run: twostep verify-email " + id +
                   " CODE (email_not_verified)");
  }
  app.Expect(r, {200});
  app.SaveSession(r.body);
  app.Print("Signed in as " + app.profile().email,
            json::object{{"status", "signed_in"}, {"email", app.profile().email}, {"trusted", true}});
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
  text += "  Password changed: " + Str(r.body, "password_changed_at");
  if (const auto* ok = r.body.as_object().if_contains("email_deliverable"); ok && ok->is_bool() && !ok->as_bool())
    text += "\n  Email: We could not deliver mail to " + Str(r.body, "email_masked") +
            " (the receiving server refused it); codes by email may not arrive";
  app.Print(text, r.body);
  return 0;
}

int TwoStepSwitch(ClientApp& app, bool on, bool password_stdin) {
  if (!on) {
    std::string password = Password(password_stdin, "Password: ");
    auto r = app.Authed("POST", "/v1/account/two-step",
                        json::object{{"enabled", false}, {"password", password}});
    app.Expect(r, {200});
    app.Print("Two-Step Verification is OFF.", json::object{{"enabled", false}});
    return 0;
  }
  auto r = app.Authed("POST", "/v1/account/two-step", json::object{{"enabled", true}});
  if (r.status == 400 && Str(r.body, "code") == "password_required") {
    // A later switch-on (the mailbox was proven before) needs the password.
    std::string password = Password(password_stdin, "Password: ");
    r = app.Authed("POST", "/v1/account/two-step",
                   json::object{{"enabled", true}, {"password", password}});
  }
  app.Expect(r, {200, 202});
  if (r.status == 200 && !r.body.as_object().contains("device_secret")) {
    // Already on: nothing changed, and this device's trust is as it was.
    app.Print("Two-Step Verification is already ON.", json::object{{"enabled", true}});
    return 0;
  }
  if (r.status == 202) {
    app.Print("", json::object{{"status", "challenge"}, {"challenge", r.body}});
    auto code = ReadLine("We emailed a code to " + Str(r.body, "destination") + ". Enter it: ");
    if (!code) throw CliError("No code entered.");
    r = app.Authed("POST", "/v1/account/two-step/verify",
                   json::object{{"challenge_id", Str(r.body, "challenge_id")}, {"code", *code}});
    app.Expect(r, {200});
  }
  app.profile().device_secret = Str(r.body, "device_secret");
  app.Save();
  app.Print("Two-Step Verification is ON. This device is trusted.", json::object{{"enabled", true}});
  return 0;
}

int Devices(ClientApp& app) {
  auto r = app.Authed("GET", "/v1/account/trusted-devices");
  app.Expect(r, {200});
  std::string text = Pad("ID", 28) + Pad("NAME", 18) + Pad("MODEL", 14) + Pad("APP", 8) +
                     Pad("TRUSTED SINCE", 21) + Pad("LAST SEEN", 21) + "LOCATION\n";
  for (const auto& d : r.body.as_array()) {
    text += Pad(Str(d, "id"), 28) + Pad(Str(d, "name"), 18) + Pad(Str(d, "model"), 14) +
            Pad(Str(d, "app"), 8) + Pad(Str(d, "trusted_at").substr(0, 19), 21) +
            Pad(Str(d, "last_seen_at").substr(0, 19), 21) +
            Location(d.as_object().at("location")) +
            (d.as_object().at("current").as_bool() ? "  (this device)" : "") + "\n";
  }
  if (!text.empty()) text.pop_back();
  app.Print(text, r.body);
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
  std::string text = Pad("TIME", 20) + Pad("EVENT", 17) + Pad("DEVICE", 16) + Pad("APP", 8) +
                     Pad("IP", 16) + Pad("LOCATION", 28) + "OUTCOME\n";
  std::string last;
  for (const auto& e : r.body.as_array()) {
    text += Pad(Str(e, "at").substr(0, 19), 20) + Pad(Str(e, "event"), 17) +
            Pad(Str(e.as_object().at("device"), "name"), 16) + Pad(Str(e, "app"), 8) +
            Pad(Str(e, "ip"), 16) + Pad(Location(e.as_object().at("location")), 28) +
            Str(e, "outcome") + (Str(e, "trusted") == "true" ? " (trusted)" : "") + "\n";
    last = Str(e, "id");
  }
  if (!last.empty() && static_cast<int>(r.body.as_array().size()) == limit)
    text += "More: twostep activity --before " + last + "\n";
  text.pop_back();
  app.Print(text, r.body);
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
  std::string current = Password(password_stdin, "Current password: ");
  std::string fresh = Password(password_stdin, "New password: ");
  auto r = app.Authed("POST", "/v1/account/password",
                      json::object{{"current_password", current}, {"new_password", fresh},
                                   {"sign_out_other_devices", sign_out_others}});
  app.Expect(r, {204});
  app.Print("Password changed.", json::object{{"status", "password_changed"}});
  return 0;
}

int PasswordStrength(ClientApp& app, const std::string& password, const std::string& email) {
  std::string pw = password.empty() ? Password(true, "") : password;
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
