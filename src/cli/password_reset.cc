// `twostep password forgot EMAIL`: "Forgot password?" in the terminal. The
// server emails a code (its answer is the same whether or not the address
// has an account); the user types the code and a new password, and each is
// asked again when it is refused: a wrong code spends one attempt of the
// same challenge (no new mail), a weak password spends none.
#include <iostream>

#include <boost/json.hpp>

#include "cli/code_input.h"
#include "cli/commands.h"
#include "cli/prompts.h"
#include "cli/terminal.h"

namespace twostep::cli {

namespace json = boost::json;

namespace {

std::string AskCode(const ClientApp& app) {
  while (true) {
    auto typed = ReadLine(app.Text("cli.prompt.email_code"));
    if (!typed) throw CliError(app.Text("cli.code.none"));
    if (auto code = NormalizeCode(*typed)) return *code;
    std::cerr << app.Text("cli.code.malformed") << "\n";
  }
}

// In a terminal the new password is typed twice (it is not shown).
std::string AskNewPassword(const ClientApp& app, bool from_stdin) {
  while (true) {
    std::string fresh = AskPassword(app, from_stdin, app.Text("cli.prompt.new_password"));
    if (from_stdin || !StdinIsTerminal()) return fresh;
    if (AskPassword(app, false, app.Text("cli.prompt.new_password_again")) == fresh) return fresh;
    std::cerr << app.Text("cli.password.differ") << "\n";
  }
}

}  // namespace

int PasswordForgot(ClientApp& app, const std::string& email, bool password_stdin) {
  auto r = app.Call("POST", "/v1/password/reset", json::object{{"email", email}});
  app.Expect(r, {202});
  const std::string id = Str(r.body, "challenge_id");
  app.Print("", json::object{{"status", "code_sent"}, {"challenge_id", id}});
  std::cerr << app.Text("cli.password.reset_code_sent", {{"email", email}}) << "\n";
  std::string code = AskCode(app);
  std::string fresh = AskNewPassword(app, password_stdin);
  while (true) {
    r = app.Call("POST", "/v1/password/reset/confirm",
                 json::object{{"challenge_id", id}, {"code", code}, {"new_password", fresh}});
    if (r.status == 204) break;
    const std::string problem = Str(r.body, "code");
    if (r.status == 400 && problem == "invalid_code") {
      TellWrongCode(app, r);
      if (Str(r.body, "attempts_left") == "0")
        throw CliError(app.Text("cli.password.reset_used_up", {{"email", email}}) +
                       " (challenge_expired)");
      code = AskCode(app);
      continue;
    }
    if (r.status == 400 && (problem == "weak_password" || problem == "invalid_request")) {
      std::cerr << ProblemText(app.texts(), r) << " " << app.Text("cli.password.choose_another")
                << "\n";
      fresh = AskNewPassword(app, password_stdin);
      continue;
    }
    if (r.status == 410 || r.status == 404)
      throw CliError(app.Text("cli.password.reset_expired", {{"email", email}}) +
                     " (challenge_expired)");
    app.Expect(r, {204});
  }
  app.Print(app.Text("cli.password.reset_done", {{"email", email}}),
            json::object{{"status", "password_reset"}});
  return 0;
}

}  // namespace twostep::cli
