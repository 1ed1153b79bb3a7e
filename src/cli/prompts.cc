#include "cli/prompts.h"

#include <cstdlib>
#include <iostream>

#include <boost/json.hpp>

#include "cli/code_input.h"
#include "cli/terminal.h"

namespace twostep::cli {

namespace json = boost::json;

std::string Str(const json::value& v, const char* key) {
  if (!v.is_object()) return "";
  auto* x = v.as_object().if_contains(key);
  if (!x) return "";
  if (x->is_string()) return std::string(x->as_string());
  if (x->is_int64()) return std::to_string(x->as_int64());
  if (x->is_bool()) return x->as_bool() ? "true" : "false";
  return "";
}

std::string AskPassword(const ClientApp& app, bool from_stdin, const std::string& prompt) {
  auto p = from_stdin ? ReadLine("") : ReadPassword(prompt);
  if (!p || p->empty()) throw CliError(app.Text("cli.error.no_password"));
  return *p;
}

std::string ForgotPasswordHint(const ClientApp& app, const std::string& email) {
  return app.Text("cli.password.forgot_hint", {{"email", email}});
}

void TellWrongCode(ClientApp& app, const ApiResponse& r) {
  std::string left = Str(r.body, "attempts_left");
  if (app.options().json)
    app.Print("",
              json::object{{"status", "invalid_code"}, {"attempts_left", std::atoi(left.c_str())}});
  else
    std::cerr << app.Text("cli.code.wrong", {{"left", std::int64_t{std::atoi(left.c_str())}}})
              << "\n";
}

ApiResponse EnterCode(ClientApp& app, const std::string& prompt, std::optional<std::string> first,
                      const std::function<ApiResponse(const std::string& code)>& submit) {
  while (true) {
    std::optional<std::string> typed = first ? first : ReadLine(prompt);
    first.reset();
    if (!typed) throw CliError(app.Text("cli.code.none"));
    auto code = NormalizeCode(*typed);
    if (!code) {
      std::cerr << app.Text("cli.code.malformed") << "\n";
      continue;
    }
    ApiResponse r = submit(*code);
    if (r.status == 400 && Str(r.body, "code") == "invalid_code") {
      TellWrongCode(app, r);
      if (Str(r.body, "attempts_left") == "0")
        throw CliError(app.Text("cli.code.used_up") + " (challenge_expired)");
      continue;
    }
    return r;
  }
}

}  // namespace twostep::cli
