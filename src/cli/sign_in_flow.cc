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

void SignedIn(ClientApp& app, const json::value& session) {
  app.SaveSession(session);
  bool trusted = !Str(session, "device_secret").empty();
  app.Print(
      "Signed in as " + app.profile().email + (trusted ? " (this device is now trusted)" : ""),
      json::object{{"status", "signed_in"}, {"email", app.profile().email}, {"trusted", trusted}});
}

// Runs on the watching thread too: only values, no ClientApp.
void TellEnded(bool json_mode, const std::string& state) {
  if (json_mode)
    std::cout << json::serialize(json::object{{"status", "challenge_ended"}, {"state", state}})
              << std::endl;
  std::cerr << "\n"
            << EndedChallengeText(state) << " Press Enter to start over, or type q to quit."
            << std::endl;
}

// After the request ended: `answer` is what the user typed after being
// told (read here when not given yet).
CodeStep StartOverOrQuit(const std::string& state, std::optional<std::string> answer) {
  if (!answer) answer = ReadLine("");
  if (!answer || *answer == "q" || *answer == "quit")
    throw CliError(EndedChallengeText(state) + " (challenge_" +
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
    std::cerr << "Two-Step Verification: a code was sent to " << Str(challenge, "destination")
              << ".\n";
}

CodeStep AnswerChallenge(ClientApp& app, json::value challenge, bool trust) {
  const std::string id = Str(challenge, "challenge_id");
  const bool json_mode = app.options().json;
  ChallengeWatch watch(app.api().url(), id,
                       [json_mode](const std::string& state) { TellEnded(json_mode, state); });
  ShowChallenge(app, challenge);
  while (true) {
    std::string resend_in = Str(challenge, "resend_in");
    std::string hint = resend_in == "0" ? "r = resend" : "r = resend in " + resend_in + " s";
    auto line = ReadLine("Enter the code (" + hint +
                         ", e = Did not receive a code? Receive code via email): ");
    if (auto ended = watch.Ended()) return StartOverOrQuit(*ended, line);
    if (!line) throw CliError("No code entered.");
    const std::string in = *line;
    if (in == "r" || in == "resend" || in == "e" || in == "email") {
      std::string method = (in == "e" || in == "email") ? "email" : Str(challenge, "method");
      auto r =
          app.Call("POST", "/v1/challenges/" + id + "/resend", json::object{{"method", method}});
      if (r.status == 429) {
        std::cerr << "Please wait " << Str(r.body, "retry_after") << " s before another code.\n";
        continue;
      }
      if (auto ended = EndedBy(r)) {
        if (!watch.Stop()) TellEnded(json_mode, *ended);
        return StartOverOrQuit(*ended, std::nullopt);
      }
      app.Expect(r, {200});
      challenge = r.body;
      ShowChallenge(app, challenge);
      continue;
    }
    auto code = NormalizeCode(in);
    if (!code) {
      std::cerr << kMalformedCode << "\n";
      continue;
    }
    auto r = app.Call("POST", "/v1/challenges/" + id + "/verify",
                      json::object{{"code", *code}, {"trust_device", trust}});
    if (r.status == 400 && Str(r.body, "code") == "invalid_code") TellWrongCode(app, r);
    if (auto ended = EndedBy(r)) {
      if (!watch.Stop()) TellEnded(json_mode, *ended);
      return StartOverOrQuit(*ended, std::nullopt);
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
  std::cerr << "Your email address is not verified yet. We sent a code to " << email << ".\n";
  auto r = EnterCode(app, "Code from the email: ", std::nullopt, [&](const std::string& code) {
    return app.Call("POST", "/v1/accounts/verify-email",
                    json::object{{"challenge_id", id}, {"code", code}});
  });
  app.Expect(r, {200});
  if (auto s = Str(r.body, "device_secret"); !s.empty())
    app.UpdateProfile([&](Profile& p) { p.device_secret = s; });
  std::cerr << "Email verified.\n";
}

}  // namespace

int Login(ClientApp& app, const LoginArgs& args) {
  if (!args.device_name.empty())
    app.UpdateProfile([&](Profile& p) { p.device_name = args.device_name; });
  std::string password = AskPassword(args.password_stdin, "Password: ");
  while (true) {
    json::object body{{"email", args.email}, {"password", password}, {"device", app.DeviceJson()}};
    if (!app.profile().device_secret.empty()) body["device_secret"] = app.profile().device_secret;
    auto r = app.Call("POST", "/v1/sessions", body);
    if (r.status == 202) {
      if (AnswerChallenge(app, r.body, !args.no_trust) == CodeStep::kSignedIn) return 0;
      std::cerr << "Starting over: sign in to " << args.email << ".\n";
      password = AskPassword(args.password_stdin, "Password: ");
      continue;
    }
    if (r.status == 403 && Str(r.body, "code") == "email_not_verified") {
      VerifyEmailNow(app, args.email, r);
      continue;  // the same password, now for a verified account
    }
    if (r.status == 401 && Str(r.body, "code") == "invalid_credentials")
      throw CliError(ProblemText(r) + "\n" + ForgotPasswordHint(args.email));
    app.Expect(r, {200});
    SignedIn(app, r.body);
    return 0;
  }
}

}  // namespace twostep::cli
