// The command line of `twostep`: every command with its arguments and help,
// what it runs, and how a wrong command line is answered.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/client_app.h"

namespace twostep::cli {

// The values the parse fills in, and the command it chose. Must outlive
// both the parse and the run (the callbacks keep references into it).
struct CommandLine {
  ClientOptions options;
  std::function<int(ClientApp&)> run;
  std::string email, challenge, code, id, password, feature, app_id, device_name, state;
  bool password_stdin = false, no_trust = false, sign_out_others = false, once = false,
       no_symbols = false;
  int limit = 20, length = 20, percent = 100;
  long long before = 0;
  std::vector<std::string> allow;
};

// Declares the global options and every command on `cli`.
void DeclareCommands(CLI::App& cli, CommandLine& line);

// The answer to a failed parse, as an exit status: a missing or unknown
// command at any level ("twostep bogus", "twostep password") is named and
// the commands that exist are listed (106); --help, --version and the other
// errors are CLI11's.
int UsageError(CLI::App& root, const CLI::ParseError& e);

}  // namespace twostep::cli
