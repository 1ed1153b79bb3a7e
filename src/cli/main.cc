// twostep: the command-line client that behaves like the phone app.
// See `twostep --help` and `twostep COMMAND --help`.
#include <iostream>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include "adapters/sodium/sodium_random.h"
#include "base/version.h"
#include "cli/commands.h"
#include "domain/password_policy.h"

namespace twostep::cli {

// The server's rule for device descriptions (SPEC: 1-64 characters, no
// control characters), checked before anything is sent.
CLI::Validator DeviceNameCheck() {
  return CLI::Validator(
      [](std::string& name) -> std::string {
        if (name.empty() || name.size() > 64) return "a device name is 1-64 characters";
        for (unsigned char c : name)
          if (c < 0x20 || c == 0x7f) return "a device name has no control characters";
        return "";
      },
      "NAME");
}

int PasswordGenerate(ClientApp& app, int length, bool symbols) {
  SodiumRandom random;
  Secret pw = domain::GeneratePassword(random, static_cast<size_t>(length), symbols);
  app.Print(std::string(pw.Reveal()), boost::json::object{{"password", pw.Reveal()}});
  return 0;
}

namespace {

std::string CommandPath(const CLI::App* app) {
  std::string path = app->get_name();
  for (const CLI::App* p = app->get_parent(); p; p = p->get_parent())
    path = (p->get_parent() ? p->get_name() : std::string("twostep")) + " " + path;
  return app->get_parent() ? path : "twostep";
}

// A command line that names no command, or one that does not exist, at any
// level ("twostep bogus", "twostep password bogus"): say so and list the
// commands that do exist. Other parse errors (and --help, --version) are
// CLI11's. Exit status 106 for a missing or unknown command (documented).
int UsageError(CLI::App& root, const CLI::ParseError& e) {
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
    std::cerr << "'" << extra.front() << "' is not a command of " << path << ".\n";
  else
    std::cerr << path << " needs a command.\n";
  std::cerr << "The commands are:\n";
  for (const CLI::App* sub : at->get_subcommands({}))
    std::cerr << "  " << sub->get_name() << std::string(sub->get_name().size() < 14 ? 14 - sub->get_name().size() : 1, ' ')
              << sub->get_description() << "\n";
  std::cerr << "Run '" << path << " COMMAND --help' for one of them.\n";
  return static_cast<int>(CLI::ExitCodes::RequiredError);
}

constexpr const char* kExitStatus =
    "Exit status: 0 done; 1 refused or failed (the server's sentence and its problem code are "
    "printed); 3 not signed in; 4 this device was signed out (listen); 5 another connection of "
    "this device took over (listen); 6 the connection dropped (listen --once); 100-115 the "
    "command line is wrong: 105 a value that is not allowed, 106 a command or argument missing "
    "or unknown, 109 an argument too many.";

}  // namespace

}  // namespace twostep::cli

int main(int argc, char** argv) {
  using namespace twostep::cli;
  CLI::App cli{"twostep - sign in and manage Two-Step Verification from a terminal, like the phone app"};
  cli.require_subcommand(1);
  cli.footer(kExitStatus);
  cli.set_version_flag("--version", "twostep " + std::string(twostep::Version()) + " (commit " +
                                        std::string(twostep::Commit()) + ")");
  ClientOptions options;
  cli.add_option("--server", options.server, "twostepd URL (http:// or https://)")
      ->envname("TWOSTEP_SERVER")->capture_default_str();
  cli.add_option("--profile", options.profile, "profile name: one account and device identity each")
      ->capture_default_str();
  cli.add_option("--app", options.app, "the app this client presents itself as (kasa, aginet, ...)")
      ->capture_default_str();
  cli.add_flag("--json", options.json,
               "machine-readable output: one JSON object per line (a list: one line per item)");

  std::function<int(ClientApp&)> run;
  std::string email, challenge, code, id, password, feature, app_id, device_name;
  bool password_stdin = false, no_trust = false, sign_out_others = false, once = false, no_symbols = false;
  int limit = 20, length = 20, percent = 100;
  long long before = 0;
  std::vector<std::string> allow;

  auto* reg = cli.add_subcommand("register", "create an account (a code is emailed to you)");
  reg->add_option("email", email, "your email address")->required();
  reg->add_flag("--password-stdin", password_stdin, "read the password from standard input");
  reg->callback([&] { run = [&](ClientApp& a) { return Register(a, email, password_stdin); }; });

  auto* ver = cli.add_subcommand("verify-email", "enter the code from the registration email");
  ver->add_option("challenge_id", challenge, "the id printed by register")->required();
  ver->add_option("code", code, "the 6-digit code (asked for when omitted)");
  ver->callback([&] { run = [&](ClientApp& a) { return VerifyEmail(a, challenge, code); }; });

  auto* login = cli.add_subcommand("login", "sign in; asks for the code when Two-Step Verification applies");
  login->add_option("email", email, "your email address")->required();
  login->add_flag("--password-stdin", password_stdin, "read the password (then codes) from standard input");
  login->add_flag("--no-trust", no_trust, "do not trust this device (a one-off sign-in)");
  login->add_option("--device-name", device_name,
                    "what the account's device lists call this device from now on "
                    "(default: the profile name; the host name for the default profile)")
      ->check(DeviceNameCheck());
  login->footer("Forgot your password? Run: twostep password forgot EMAIL");
  login->callback([&] {
    run = [&](ClientApp& a) { return Login(a, {email, password_stdin, no_trust, device_name}); };
  });

  cli.add_subcommand("logout", "sign this device out")
      ->callback([&] { run = [](ClientApp& a) { return Logout(a); }; });
  cli.add_subcommand("whoami", "show the signed-in account")
      ->callback([&] { run = [](ClientApp& a) { return WhoAmI(a); }; });
  cli.add_subcommand("security", "the Login Security screen")
      ->callback([&] { run = [](ClientApp& a) { return Security(a); }; });

  auto* ts = cli.add_subcommand("two-step", "turn Two-Step Verification on or off");
  std::string state;
  ts->add_option("state", state, "on or off")->required()->check(CLI::IsMember({"on", "off"}));
  ts->add_flag("--password-stdin", password_stdin, "read the password (off, or on again) from standard input");
  ts->callback([&] { run = [&](ClientApp& a) { return TwoStepSwitch(a, state == "on", password_stdin); }; });

  auto* devices = cli.add_subcommand("devices", "list trusted devices; 'devices remove ID' signs one out");
  auto* remove = devices->add_subcommand("remove", "remove a trusted device: it is signed out at once");
  remove->add_option("id", id, "device id from 'twostep devices'")->required();
  devices->callback([&] {
    if (*remove) run = [&](ClientApp& a) { return RemoveDevice(a, id); };
    else run = [](ClientApp& a) { return Devices(a); };
  });

  auto* act = cli.add_subcommand("activity", "recent sign-ins and code requests");
  act->add_option("--limit", limit, "events per page (1-100)")->capture_default_str()->check(CLI::Range(1, 100));
  act->add_option("--before", before, "show events older than this event id (paging)");
  act->callback([&] { run = [&](ClientApp& a) { return Activity(a, limit, before); }; });

  auto* listen = cli.add_subcommand("listen", "act as a trusted device: show sign-in requests; a = Allow (shows the code), d = This wasn't me");
  listen->add_flag("--once", once, "exit when the connection drops instead of reconnecting");
  listen->callback([&] { run = [&](ClientApp& a) { return Listen(a, once); }; });

  auto* deny = cli.add_subcommand("deny", "deny a code request (\"This wasn't me\")");
  deny->add_option("challenge_id", challenge, "the request's id")->required();
  deny->callback([&] { run = [&](ClientApp& a) { return Deny(a, challenge); }; });

  auto* pw = cli.add_subcommand("password", "change, check or generate passwords");
  pw->require_subcommand(1);
  auto* forgot = pw->add_subcommand("forgot", "Forgot password? Reset it with a code sent by email");
  forgot->add_option("email", email, "your email address")->required();
  forgot->add_flag("--password-stdin", password_stdin,
                   "read the code, then the new password, from standard input");
  forgot->callback([&] { run = [&](ClientApp& a) { return PasswordForgot(a, email, password_stdin); }; });
  auto* change = pw->add_subcommand("change", "change the password (current, then new)");
  change->add_flag("--password-stdin", password_stdin, "read both passwords from standard input");
  change->add_flag("--sign-out-others", sign_out_others, "sign out every other device");
  change->callback([&] { run = [&](ClientApp& a) { return PasswordChange(a, password_stdin, sign_out_others); }; });
  auto* strength = pw->add_subcommand("strength", "strength meter with warning and suggestions");
  strength->add_option("password", password, "the password (read from standard input when omitted)");
  strength->add_option("--email", email, "your email (passwords based on it are weak)");
  strength->callback([&] { run = [&](ClientApp& a) { return PasswordStrength(a, password, email); }; });
  auto* gen = pw->add_subcommand("generate", "a strong random password (libsodium's CSPRNG)");
  gen->add_option("--length", length, "characters (12-128)")->capture_default_str()->check(CLI::Range(12, 128));
  gen->add_flag("--no-symbols", no_symbols, "letters and digits only");
  gen->callback([&] { run = [&](ClientApp& a) { return PasswordGenerate(a, length, !no_symbols); }; });

  auto* admin = cli.add_subcommand("admin", "operator commands (admin token in TWOSTEP_ADMIN_TOKEN)");
  admin->require_subcommand(1);
  auto* rollout = admin->add_subcommand("rollout", "gradual rollout of a feature per app");
  rollout->require_subcommand(1);
  auto* rget = rollout->add_subcommand("get", "show the rollout");
  rget->add_option("feature", feature, "e.g. two_step")->required();
  rget->add_option("app", app_id, "e.g. kasa")->required();
  rget->callback([&] { run = [&](ClientApp& a) { return RolloutGet(a, feature, app_id); }; });
  auto* rset = rollout->add_subcommand("set", "change the rollout");
  rset->add_option("feature", feature, "e.g. two_step")->required();
  rset->add_option("app", app_id, "e.g. kasa")->required();
  rset->add_option("--percent", percent, "share of accounts (0-100)")->required()->check(CLI::Range(0, 100));
  rset->add_option("--allow", allow, "emails that always have it");
  rset->callback([&] { run = [&](ClientApp& a) { return RolloutSet(a, feature, app_id, percent, allow); }; });

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return UsageError(cli, e);
  }
  try {
    ClientApp app(options);
    return run(app);
  } catch (const CliError& e) {
    if (options.json)
      std::cout << boost::json::serialize(boost::json::object{{"status", "error"}, {"error", e.what()}}) << std::endl;
    std::cerr << "Error: " << e.what() << std::endl;
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << "Error: " << e.what() << std::endl;
    return 1;
  }
}
