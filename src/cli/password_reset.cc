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

std::string AskCode() {
  while (true) {
    auto typed = ReadLine("Code from the email: ");
    if (!typed) throw CliError("No code entered.");
    if (auto code = NormalizeCode(*typed)) return *code;
    std::cerr << kMalformedCode << "\n";
  }
}

// In a terminal the new password is typed twice (it is not shown).
std::string AskNewPassword(bool from_stdin) {
  while (true) {
    std::string fresh = AskPassword(from_stdin, "New password: ");
    if (from_stdin || !StdinIsTerminal()) return fresh;
    if (AskPassword(false, "New password again: ") == fresh) return fresh;
    std::cerr << "The two passwords differ. Try again.\n";
  }
}

}  // namespace

int PasswordForgot(ClientApp& app, const std::string& email, bool password_stdin) {
  auto r = app.Call("POST", "/v1/password/reset", json::object{{"email", email}});
  app.Expect(r, {202});
  const std::string id = Str(r.body, "challenge_id");
  app.Print("", json::object{{"status", "code_sent"}, {"challenge_id", id}});
  std::cerr << "If " << email << " has an account, we emailed it a code to reset the password.\n";
  std::string code = AskCode();
  std::string fresh = AskNewPassword(password_stdin);
  while (true) {
    r = app.Call("POST", "/v1/password/reset/confirm",
                 json::object{{"challenge_id", id}, {"code", code}, {"new_password", fresh}});
    if (r.status == 204) break;
    const std::string problem = Str(r.body, "code");
    if (r.status == 400 && problem == "invalid_code") {
      TellWrongCode(app, r);
      if (Str(r.body, "attempts_left") == "0")
        throw CliError("Too many wrong codes: run twostep password forgot " + email +
                       " for a new one. (challenge_expired)");
      code = AskCode();
      continue;
    }
    if (r.status == 400 && (problem == "weak_password" || problem == "invalid_request")) {
      std::cerr << ProblemText(r) << " Choose another password.\n";
      fresh = AskNewPassword(password_stdin);
      continue;
    }
    if (r.status == 410 || r.status == 404)
      throw CliError("This code has stopped working: run twostep password forgot " + email +
                     " for a new one. (challenge_expired)");
    app.Expect(r, {204});
  }
  app.Print("Your password was reset, and every device was signed out. Run: twostep login " + email,
            json::object{{"status", "password_reset"}});
  return 0;
}

}  // namespace twostep::cli
