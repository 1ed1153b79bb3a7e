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

namespace {

// The language of the help and of the errors before a ClientApp exists:
// --lang, the profile's account, the terminal (a profile that cannot be read
// is told about later, by ClientApp).
Texts EarlyTexts(int argc, const char* const* argv) {
  EarlyOptions early = ScanEarlyOptions(argc, argv);
  Profile profile;
  try {
    profile = ProfileStore().Load(early.profile);
  } catch (const std::exception&) {
  }
  return TextsFor(early.lang, profile);
}

int Fail(const Texts& t, bool json, const std::string& message, int status) {
  if (json)
    std::cout << boost::json::serialize(
                     boost::json::object{{"status", "error"}, {"error", message}})
              << std::endl;
  std::cerr << t("cli.error", {{"message", message}}) << std::endl;
  return status;
}

}  // namespace

}  // namespace twostep::cli

int main(int argc, char** argv) {
  using namespace twostep::cli;
  const Texts texts = EarlyTexts(argc, argv);
  CLI::App cli;
  CommandLine line;
  DeclareCommands(cli, line, texts);
  // After DeclareCommands: the flag then joins the translated option group.
  cli.set_version_flag("--version",
                       texts("cli.help.version_text", {{"version", std::string(twostep::Version())},
                                                       {"commit", std::string(twostep::Commit())}}),
                       texts("cli.help.version"));
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return UsageError(cli, e, texts);
  }
  try {
    ClientApp app(line.options);
    return line.run(app);
  } catch (const CliError& e) {
    return Fail(texts, line.options.json, e.what(), e.exit_code());
  } catch (const TextError& e) {
    return Fail(texts, line.options.json, e.Render(texts), 1);
  } catch (const std::exception& e) {
    return Fail(texts, false, e.what(), 1);
  }
}
