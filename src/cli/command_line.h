// The command line of `twostep`: every command with its arguments and help
// (in the user's language, from the catalog), what it runs, and how a
// wrong command line is answered.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/client_app.h"
#include "cli/texts.h"

namespace twostep::cli {

// The values the parse fills in, and the command it chose. Must outlive
// both the parse and the run (the callbacks keep references into it).
struct CommandLine {
  ClientOptions options;
  std::function<int(ClientApp&)> run;
  std::string email, challenge, code, id, password, feature, app_id, device_name, state;
  std::string locale, time_zone;  // account set
  bool password_stdin = false, no_trust = false, sign_out_others = false, once = false,
       no_symbols = false;
  int limit = 20, length = 20, percent = 100;
  long long before = 0;
  std::vector<std::string> allow;
};

// What main needs before the parse, to speak the right language in the help
// and the errors of the parse itself: the values of --lang and --profile
// among the global options (those before the command).
struct EarlyOptions {
  std::string lang;
  std::string profile = "default";
};
EarlyOptions ScanEarlyOptions(int argc, const char* const* argv);

// Declares the global options and every command on `cli`, described in the
// language of `t`.
void DeclareCommands(CLI::App& cli, CommandLine& line, const Texts& t);

// The answer to a failed parse, as an exit status: a missing or unknown
// command at any level ("twostep bogus", "twostep password") is named and
// the commands that exist are listed (106); --help, --version and the other
// errors are CLI11's.
int UsageError(CLI::App& root, const CLI::ParseError& e, const Texts& t);

}  // namespace twostep::cli
