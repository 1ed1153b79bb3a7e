// `twostep login`: the password, then (when Two-Step Verification applies)
// the code step. The code step watches its challenge (ChallengeWatch) and,
// when the request is denied, expires or is used up, offers to start over
// with the password instead of asking for a code that cannot work.
#include <iostream>

#include <boost/json.hpp>

#include "cli/challenge_watch.h"
#include "cli/code_input.h"
#include "cli/commands.h"
#include "cli/prompts.h"
#include "cli/terminal.h"

namespace twostep::cli {

namespace json = boost::json;

namespace {

enum class CodeStep { kSignedIn, kStartOver };

// Signed in: the session is kept, and the account's language and time zone
// (GET /v1/account), which this client speaks from now on.
void SignedIn(ClientApp& app, const json::value& session) {
  app.SaveSession(session);
  try {
    auto account = app.Authed("GET", "/v1/account");
    if (account.status == 200) app.LearnAccount(account.body);
  } catch (const CliError&) {
    // The session works; the language can be learned on a later call.
  }
  bool trusted = !Str(session, "device_secret").empty();
  app.Print(app.Text(trusted ? "cli.login.signed_in_trusted" : "cli.login.signed_in",
                     {{"email", app.profile().email}}),
            json::object{{"status", "signed_in"}, {"email", app.profile().email}, {"trusted", trusted}});
}

// Runs on the watching thread too: only values, no ClientApp.
void TellEnded(bool json_mode, const Texts& t, const std::string& state) {
  if (json_mode)
    std::cout << json::serialize(json::object{{"status", "challenge_ended"}, {"state", state}})
              << std::endl;
  std::cerr << "\n" << EndedChallengeText(t, state) << " " << t("cli.challenge.start_over_or_quit")
            << std::endl;
}

// After the request ended: `answer` is what the user typed after being
// told (read here when not given yet). "q" quits in every language (the
// prompt says so).
CodeStep StartOverOrQuit(const Texts& t, const std::string& state,
                         std::optional<std::string> answer) {
  if (!answer) answer = ReadLine("");
  if (!answer || *answer == "q" || *answer == "quit")
    throw CliError(EndedChallengeText(t, state) + " (challenge_" +
                   std::string(state == "denied" ? "denied" : "expired") + ")");
  return CodeStep::kStartOver;
}

// The final state a refused verify or resend reports, if it is one.
std::optional<std::string> EndedBy(const ApiResponse& r) {
  if (r.status == 403 && Str(r.body, "code") == "challenge_denied") return "denied";
  if (r.status == 410) return "expired";
  if (r.status == 400 && Str(r.body, "code") == "invalid_code" &&
      Str(r.body, "attempts_left") == "0")
    return "exhausted";
  return std::nullopt;
}

void ShowChallenge(ClientApp& app, const json::value& challenge) {
  if (app.options().json)
    app.Print("", json::object{{"status", "challenge"}, {"challenge", challenge}});
  else
    std::cerr << app.Text("cli.login.code_sent", {{"destination", Str(challenge, "destination")}})
              << "\n";
}

// The "Did not receive a code?" choice: email is offered as working only
// when the challenge lists it (the server leaves it out after a permanent
// refusal of the address); it may still be tried.
std::string EmailOffer(const ClientApp& app, const json::value& challenge) {
  const auto* methods = challenge.as_object().if_contains("methods");
  if (methods && methods->is_array())
    for (const auto& m : methods->as_array())
      if (m.is_string() && m.as_string() == "email") return app.Text("cli.login.email_offer");
  return app.Text("cli.login.email_undeliverable");
}

// "Enter the code (r = resend in 42 s, e = Did not receive a code? ...): "
std::string CodePrompt(const ClientApp& app, const json::value& challenge) {
  const std::string resend_in = Str(challenge, "resend_in");
  return app.Text("cli.login.code_prompt",
                  {{"resend_in", std::int64_t{std::atoll(resend_in.c_str())}},
                   {"email_offer", EmailOffer(app, challenge)}});
}

CodeStep AnswerChallenge(ClientApp& app, json::value challenge, bool trust) {
  const std::string id = Str(challenge, "challenge_id");
  const bool json_mode = app.options().json;
  const Texts t = app.texts();
  ChallengeWatch watch(app.api().url(), id,
                       [json_mode, t](const std::string& state) { TellEnded(json_mode, t, state); });
  ShowChallenge(app, challenge);
  while (true) {
    auto line = ReadLine(CodePrompt(app, challenge));
    if (auto ended = watch.Ended()) return StartOverOrQuit(t, *ended, line);
    if (!line) throw CliError(t("cli.code.none"));
    const std::string in = *line;
    if (in == "r" || in == "resend" || in == "e" || in == "email") {
      std::string method = (in == "e" || in == "email") ? "email" : Str(challenge, "method");
      auto r =
          app.Call("POST", "/v1/challenges/" + id + "/resend", json::object{{"method", method}});
      if (r.status == 429) {
        std::cerr << t("cli.login.wait_resend",
                       {{"seconds", std::int64_t{std::atoll(Str(r.body, "retry_after").c_str())}}})
                  << "\n";
        continue;
      }
      if (auto ended = EndedBy(r)) {
        if (!watch.Stop()) TellEnded(json_mode, t, *ended);
        return StartOverOrQuit(t, *ended, std::nullopt);
      }
      app.Expect(r, {200});
      challenge = r.body;
      ShowChallenge(app, challenge);
      continue;
    }
    auto code = NormalizeCode(in);
    if (!code) {
      std::cerr << t("cli.code.malformed") << "\n";
      continue;
    }
    auto r = app.Call("POST", "/v1/challenges/" + id + "/verify",
                      json::object{{"code", *code}, {"trust_device", trust}});
    if (r.status == 400 && Str(r.body, "code") == "invalid_code") TellWrongCode(app, r);
    if (auto ended = EndedBy(r)) {
      if (!watch.Stop()) TellEnded(json_mode, t, *ended);
      return StartOverOrQuit(t, *ended, std::nullopt);
    }
    if (r.status == 400 && Str(r.body, "code") == "invalid_code") continue;
    app.Expect(r, {200});
    SignedIn(app, r.body);
    return CodeStep::kSignedIn;
  }
}

// An account whose email is not verified yet: the server just emailed a new
// code; take it here, so the sign-in can go on.
void VerifyEmailNow(ClientApp& app, const std::string& email, const ApiResponse& refused) {
  const std::string id = Str(refused.body, "challenge_id");
  std::cerr << app.Text("cli.login.verify_email_first", {{"email", email}}) << "\n";
  auto r = EnterCode(app, app.Text("cli.prompt.email_code"), std::nullopt, [&](const std::string& code) {
    return app.Call("POST", "/v1/accounts/verify-email",
                    json::object{{"challenge_id", id}, {"code", code}});
  });
  app.Expect(r, {200});
  if (auto s = Str(r.body, "device_secret"); !s.empty())
    app.UpdateProfile([&](Profile& p) { p.device_secret = s; });
  std::cerr << app.Text("cli.verify_email.done_short") << "\n";
}

}  // namespace

int Login(ClientApp& app, const LoginArgs& args) {
  if (!args.device_name.empty())
    app.UpdateProfile([&](Profile& p) { p.device_name = args.device_name; });
  std::string password = AskPassword(app, args.password_stdin, app.Text("cli.prompt.password"));
  while (true) {
    json::object body{{"email", args.email}, {"password", password}, {"device", app.DeviceJson()}};
    if (!app.profile().device_secret.empty()) body["device_secret"] = app.profile().device_secret;
    auto r = app.Call("POST", "/v1/sessions", body);
    if (r.status == 202) {
      if (AnswerChallenge(app, r.body, !args.no_trust) == CodeStep::kSignedIn) return 0;
      std::cerr << app.Text("cli.login.starting_over", {{"email", args.email}}) << "\n";
      password = AskPassword(app, args.password_stdin, app.Text("cli.prompt.password"));
      continue;
    }
    if (r.status == 403 && Str(r.body, "code") == "email_not_verified") {
      VerifyEmailNow(app, args.email, r);
      continue;  // the same password, now for a verified account
    }
    if (r.status == 401 && Str(r.body, "code") == "invalid_credentials")
      throw CliError(ProblemText(app.texts(), r) + "\n" + ForgotPasswordHint(app, args.email));
    app.Expect(r, {200});
    SignedIn(app, r.body);
    return 0;
  }
}

}  // namespace twostep::cli
