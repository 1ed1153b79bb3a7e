#include "cli/command_line.h"

#include <iostream>

#include "cli/commands.h"

namespace twostep::cli {

namespace {

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

constexpr const char* kExitStatus =
    "Exit status:\n"
    "  0        done\n"
    "  1        refused or failed (the server's sentence and its problem code are printed)\n"
    "  3        not signed in\n"
    "  4        this device was signed out (listen)\n"
    "  5        another connection of this device took over (listen)\n"
    "  6        the connection dropped (listen --once)\n"
    "  100-115  the command line is wrong: 105 a value that is not allowed,\n"
    "           106 a command or argument missing or unknown, 109 an argument too many";

void DeclareSignIn(CLI::App& cli, CommandLine& l) {
  auto* reg = cli.add_subcommand("register", "create an account (a code is emailed to you)");
  reg->add_option("email", l.email, "your email address")->required();
  reg->add_flag("--password-stdin", l.password_stdin, "read the password from standard input");
  reg->callback(
      [&l] { l.run = [&l](ClientApp& a) { return Register(a, l.email, l.password_stdin); }; });

  auto* ver = cli.add_subcommand("verify-email", "enter the code from the registration email");
  ver->add_option("challenge_id", l.challenge, "the id printed by register")->required();
  ver->add_option("code", l.code, "the 6-digit code (asked for when omitted)");
  ver->callback(
      [&l] { l.run = [&l](ClientApp& a) { return VerifyEmail(a, l.challenge, l.code); }; });

  auto* login =
      cli.add_subcommand("login", "sign in; asks for the code when Two-Step Verification applies");
  login->add_option("email", l.email, "your email address")->required();
  login->add_flag("--password-stdin", l.password_stdin,
                  "read the password (then codes) from standard input");
  login->add_flag("--no-trust", l.no_trust, "do not trust this device (a one-off sign-in)");
  login
      ->add_option("--device-name", l.device_name,
                   "what the account's device lists call this device from now on "
                   "(default: the profile name; the host name for the default profile)")
      ->check(DeviceNameCheck());
  login->footer("Forgot your password? Run: twostep password forgot EMAIL");
  login->callback([&l] {
    l.run = [&l](ClientApp& a) {
      return Login(a, {l.email, l.password_stdin, l.no_trust, l.device_name});
    };
  });
}

void DeclareAccount(CLI::App& cli, CommandLine& l) {
  cli.add_subcommand("logout", "sign this device out")->callback([&l] {
    l.run = [](ClientApp& a) { return Logout(a); };
  });
  cli.add_subcommand("whoami", "show the signed-in account")->callback([&l] {
    l.run = [](ClientApp& a) { return WhoAmI(a); };
  });
  cli.add_subcommand("security", "the Login Security screen")->callback([&l] {
    l.run = [](ClientApp& a) { return Security(a); };
  });

  auto* ts = cli.add_subcommand("two-step", "turn Two-Step Verification on or off");
  ts->add_option("state", l.state, "on or off")->required()->check(CLI::IsMember({"on", "off"}));
  ts->add_flag("--password-stdin", l.password_stdin,
               "read the password (off, or on again) from standard input");
  ts->callback([&l] {
    l.run = [&l](ClientApp& a) { return TwoStepSwitch(a, l.state == "on", l.password_stdin); };
  });

  auto* devices =
      cli.add_subcommand("devices", "list trusted devices; 'devices remove ID' signs one out");
  auto* remove =
      devices->add_subcommand("remove", "remove a trusted device: it is signed out at once");
  remove->add_option("id", l.id, "device id from 'twostep devices'")->required();
  devices->callback([&l, remove] {
    if (*remove)
      l.run = [&l](ClientApp& a) { return RemoveDevice(a, l.id); };
    else
      l.run = [](ClientApp& a) { return Devices(a); };
  });

  auto* act = cli.add_subcommand("activity", "recent sign-ins and code requests");
  act->add_option("--limit", l.limit, "events per page (1-100)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  act->add_option("--before", l.before, "show events older than this event id (paging)");
  act->callback([&l] { l.run = [&l](ClientApp& a) { return Activity(a, l.limit, l.before); }; });

  auto* listen = cli.add_subcommand("listen",
                                    "act as a trusted device: show sign-in requests; a = Allow "
                                    "(shows the code), d = This wasn't me");
  listen->add_flag("--once", l.once, "exit when the connection drops instead of reconnecting");
  listen->callback([&l] { l.run = [&l](ClientApp& a) { return Listen(a, l.once); }; });

  auto* deny = cli.add_subcommand("deny", "deny a code request (\"This wasn't me\")");
  deny->add_option("challenge_id", l.challenge, "the request's id")->required();
  deny->callback([&l] { l.run = [&l](ClientApp& a) { return Deny(a, l.challenge); }; });
}

void DeclarePasswords(CLI::App& cli, CommandLine& l) {
  auto* pw = cli.add_subcommand("password", "change, reset (forgot), check or generate passwords");
  pw->require_subcommand(1);
  auto* forgot =
      pw->add_subcommand("forgot", "Forgot password? Reset it with a code sent by email");
  forgot->add_option("email", l.email, "your email address")->required();
  forgot->add_flag("--password-stdin", l.password_stdin,
                   "read the code, then the new password, from standard input");
  forgot->callback([&l] {
    l.run = [&l](ClientApp& a) { return PasswordForgot(a, l.email, l.password_stdin); };
  });
  auto* change = pw->add_subcommand("change", "change the password (current, then new)");
  change->add_flag("--password-stdin", l.password_stdin, "read both passwords from standard input");
  change->add_flag("--sign-out-others", l.sign_out_others, "sign out every other device");
  change->callback([&l] {
    l.run = [&l](ClientApp& a) { return PasswordChange(a, l.password_stdin, l.sign_out_others); };
  });
  auto* strength = pw->add_subcommand("strength", "strength meter with warning and suggestions");
  strength->add_option("password", l.password,
                       "the password (read from standard input when omitted)");
  strength->add_option("--email", l.email, "your email (passwords based on it are weak)");
  strength->callback(
      [&l] { l.run = [&l](ClientApp& a) { return PasswordStrength(a, l.password, l.email); }; });
  auto* gen = pw->add_subcommand("generate", "a strong random password (libsodium's CSPRNG)");
  gen->add_option("--length", l.length, "characters (12-128)")
      ->capture_default_str()
      ->check(CLI::Range(12, 128));
  gen->add_flag("--no-symbols", l.no_symbols, "letters and digits only");
  gen->callback([&l] {
    l.run = [&l](ClientApp& a) { return PasswordGenerate(a, l.length, !l.no_symbols); };
  });
}

void DeclareAdmin(CLI::App& cli, CommandLine& l) {
  auto* admin =
      cli.add_subcommand("admin", "operator commands (admin token in TWOSTEP_ADMIN_TOKEN)");
  admin->require_subcommand(1);
  auto* rollout = admin->add_subcommand("rollout", "gradual rollout of a feature per app");
  rollout->require_subcommand(1);
  auto* rget = rollout->add_subcommand("get", "show the rollout");
  rget->add_option("feature", l.feature, "e.g. two_step")->required();
  rget->add_option("app", l.app_id, "e.g. kasa")->required();
  rget->callback(
      [&l] { l.run = [&l](ClientApp& a) { return RolloutGet(a, l.feature, l.app_id); }; });
  auto* rset = rollout->add_subcommand("set", "change the rollout");
  rset->add_option("feature", l.feature, "e.g. two_step")->required();
  rset->add_option("app", l.app_id, "e.g. kasa")->required();
  rset->add_option("--percent", l.percent, "share of accounts (0-100)")
      ->required()
      ->check(CLI::Range(0, 100));
  rset->add_option("--allow", l.allow, "emails that always have it");
  rset->callback([&l] {
    l.run = [&l](ClientApp& a) { return RolloutSet(a, l.feature, l.app_id, l.percent, l.allow); };
  });
}

std::string CommandPath(const CLI::App* app) {
  std::string path = app->get_name();
  for (const CLI::App* p = app->get_parent(); p; p = p->get_parent())
    path = (p->get_parent() ? p->get_name() : std::string("twostep")) + " " + path;
  return app->get_parent() ? path : "twostep";
}

}  // namespace

void DeclareCommands(CLI::App& cli, CommandLine& line) {
  cli.require_subcommand(1);
  cli.footer(kExitStatus);
  cli.add_option("--server", line.options.server, "twostepd URL (http:// or https://)")
      ->envname("TWOSTEP_SERVER")
      ->capture_default_str();
  cli.add_option("--profile", line.options.profile,
                 "profile name: one account and device identity each")
      ->capture_default_str();
  cli.add_option("--app", line.options.app,
                 "the app this client presents itself as (kasa, aginet, ...)")
      ->capture_default_str();
  cli.add_flag("--json", line.options.json,
               "machine-readable output: one JSON object per line (a list: one line per item)");
  DeclareSignIn(cli, line);
  DeclareAccount(cli, line);
  DeclarePasswords(cli, line);
  DeclareAdmin(cli, line);
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
    std::cerr << "  " << sub->get_name()
              << std::string(sub->get_name().size() < 14 ? 14 - sub->get_name().size() : 1, ' ')
              << sub->get_description() << "\n";
  std::cerr << "Run '" << path << " COMMAND --help' for one of them.\n";
  return static_cast<int>(CLI::ExitCodes::RequiredError);
}

}  // namespace twostep::cli
