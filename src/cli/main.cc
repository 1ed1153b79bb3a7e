// twostep: the command-line client that behaves like the phone app.
// See `twostep --help` and `twostep COMMAND --help`.
#include <iostream>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include "adapters/sodium/sodium_random.h"
#include "base/version.h"
#include "cli/command_line.h"
#include "cli/commands.h"
#include "domain/password_policy.h"

namespace twostep::cli {

int PasswordGenerate(ClientApp& app, int length, bool symbols) {
  SodiumRandom random;
  Secret pw = domain::GeneratePassword(random, static_cast<size_t>(length), symbols);
  app.Print(std::string(pw.Reveal()), boost::json::object{{"password", pw.Reveal()}});
  return 0;
}

}  // namespace twostep::cli

int main(int argc, char** argv) {
  using namespace twostep::cli;
  CLI::App cli{
      "twostep - sign in and manage Two-Step Verification from a terminal, like the phone app"};
  cli.set_version_flag("--version", "twostep " + std::string(twostep::Version()) + " (commit " +
                                        std::string(twostep::Commit()) + ")");
  CommandLine line;
  DeclareCommands(cli, line);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return UsageError(cli, e);
  }
  try {
    ClientApp app(line.options);
    return line.run(app);
  } catch (const CliError& e) {
    if (line.options.json)
      std::cout << boost::json::serialize(
                       boost::json::object{{"status", "error"}, {"error", e.what()}})
                << std::endl;
    std::cerr << "Error: " << e.what() << std::endl;
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << "Error: " << e.what() << std::endl;
    return 1;
  }
}
