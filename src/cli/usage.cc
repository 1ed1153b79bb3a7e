// The command line before and after CLI11's parse: the global options main
// needs before it (the language of the help), and the answer to a command
// that is missing or unknown.
#include <cstring>
#include <iostream>

#include "cli/command_line.h"
#include "cli/text_width.h"

namespace twostep::cli {

namespace {

std::string CommandPath(const CLI::App* app) {
  std::string path = app->get_name();
  for (const CLI::App* p = app->get_parent(); p; p = p->get_parent())
    path = (p->get_parent() ? p->get_name() : std::string("twostep")) + " " + path;
  return app->get_parent() ? path : "twostep";
}

}  // namespace

// The global options come before the command ("twostep --lang de login");
// the scan stops at the first word that is neither an option nor the value
// of one, so that "account set --lang" is left to the parse.
EarlyOptions ScanEarlyOptions(int argc, const char* const* argv) {
  EarlyOptions early;
  static const char* kWithValue[] = {"--server", "--profile", "--app", "--lang"};
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) break;
    std::string name = arg.substr(0, arg.find('='));
    std::string value;
    bool takes_value = false;
    for (const char* o : kWithValue) takes_value = takes_value || name == o;
    if (!takes_value) continue;
    if (name.size() < arg.size())
      value = arg.substr(name.size() + 1);
    else if (i + 1 < argc)
      value = argv[++i];
    if (name == "--lang") early.lang = value;
    if (name == "--profile") early.profile = value;
  }
  return early;
}

// A command line that names no command, or one that does not exist, at any
// level ("twostep bogus", "twostep password bogus"): say so and list the
// commands that do exist. Other parse errors (and --help, --version) are
// CLI11's. Exit status 106 for a missing or unknown command (documented).
int UsageError(CLI::App& root, const CLI::ParseError& e, const Texts& t) {
  if (e.get_exit_code() == 0) return root.exit(e);
  CLI::App* at = &root;
  for (bool deeper = true; deeper;) {
    deeper = false;
    for (CLI::App* sub : at->get_subcommands({}))
      if (sub->parsed()) {
        at = sub;
        deeper = true;
        break;
      }
  }
  if (at->get_require_subcommand_min() == 0) return root.exit(e);
  const std::string path = CommandPath(at);
  std::vector<std::string> extra = at->remaining();
  if (extra.empty() && at != &root) extra = root.remaining();
  if (!extra.empty() && extra.front().rfind('-', 0) != 0)
    std::cerr << t("cli.usage.not_a_command", {{"word", extra.front()}, {"path", path}}) << "\n";
  else
    std::cerr << t("cli.usage.needs_command", {{"path", path}}) << "\n";
  std::cerr << t("cli.usage.commands_are") << "\n";
  for (const CLI::App* sub : at->get_subcommands({}))
    std::cerr << "  " << Cell(sub->get_name(), 13) << sub->get_description() << "\n";
  std::cerr << t("cli.usage.run_help", {{"path", path}}) << "\n";
  return static_cast<int>(CLI::ExitCodes::RequiredError);
}

}  // namespace twostep::cli
