#include "cli/command_line.h"

#include "cli/commands.h"
#include "cli/language.h"

namespace twostep::cli {

namespace {

// The server's rule for device descriptions (SPEC: 1-64 characters, no
// control characters), checked before anything is sent.
CLI::Validator DeviceNameCheck(const Texts& t) {
  return CLI::Validator(
      [t](std::string& name) -> std::string {
        if (name.empty() || name.size() > 64) return t("cli.error.device_name_length");
        for (unsigned char c : name)
          if (c < 0x20 || c == 0x7f) return t("cli.error.device_name_control");
        return "";
      },
      "NAME");
}

// --lang: one of the catalog's languages, as a BCP 47 tag or a POSIX locale
// name ("zh-TW" and "zh_TW.UTF-8" are zh-Hant).
CLI::Validator LanguageCheck(const Texts& t) {
  return CLI::Validator(
      [t](std::string& lang) -> std::string {
        return LanguageForFlag(lang) ? "" : t("cli.error.unknown_language", {{"lang", lang}});
      },
      "LANG");
}

CLI::Validator ZoneCheck(const Texts& t) {
  return CLI::Validator(
      [t](std::string& zone) -> std::string {
        return IsKnownZone(zone) ? "" : t("cli.error.unknown_zone", {{"zone", zone}});
      },
      "ZONE");
}

// A command, filed under the translated "Commands" heading of the help.
CLI::App* Command(CLI::App& parent, const Texts& t, const char* name, const char* key) {
  auto* sub = parent.add_subcommand(name, t(key));
  sub->group(t("cli.help.label.commands"));
  return sub;
}

void DeclareSignIn(CLI::App& cli, CommandLine& l, const Texts& t) {
  auto* reg = Command(cli, t, "register", "cli.help.register");
  reg->add_option("email", l.email, t("cli.help.arg.email"))->required();
  reg->add_flag("--password-stdin", l.password_stdin, t("cli.help.arg.password_stdin"));
  reg->callback(
      [&l] { l.run = [&l](ClientApp& a) { return Register(a, l.email, l.password_stdin); }; });

  auto* ver = Command(cli, t, "verify-email", "cli.help.verify_email");
  ver->add_option("challenge_id", l.challenge, t("cli.help.arg.register_id"))->required();
  ver->add_option("code", l.code, t("cli.help.arg.code"));
  ver->callback(
      [&l] { l.run = [&l](ClientApp& a) { return VerifyEmail(a, l.challenge, l.code); }; });

  auto* login = Command(cli, t, "login", "cli.help.login");
  login->add_option("email", l.email, t("cli.help.arg.email"))->required();
  login->add_flag("--password-stdin", l.password_stdin, t("cli.help.arg.login_stdin"));
  login->add_flag("--no-trust", l.no_trust, t("cli.help.arg.no_trust"));
  login->add_option("--device-name", l.device_name, t("cli.help.arg.device_name"))
      ->check(DeviceNameCheck(t));
  login->footer(t("cli.help.login_footer"));
  login->callback([&l] {
    l.run = [&l](ClientApp& a) {
      return Login(a, {l.email, l.password_stdin, l.no_trust, l.device_name});
    };
  });
}

void DeclareAccount(CLI::App& cli, CommandLine& l, const Texts& t) {
  Command(cli, t, "logout", "cli.help.logout")->callback([&l] {
    l.run = [](ClientApp& a) { return Logout(a); };
  });
  Command(cli, t, "whoami", "cli.help.whoami")->callback([&l] {
    l.run = [](ClientApp& a) { return WhoAmI(a); };
  });
  Command(cli, t, "security", "cli.help.security")->callback([&l] {
    l.run = [](ClientApp& a) { return Security(a); };
  });

  auto* account = Command(cli, t, "account", "cli.help.account");
  account->require_subcommand(1);
  auto* set = Command(*account, t, "set", "cli.help.account_set");
  set->add_option("--lang", l.locale, t("cli.help.arg.account_lang"))->check(LanguageCheck(t));
  set->add_option("--time-zone", l.time_zone, t("cli.help.arg.time_zone"))->check(ZoneCheck(t));
  set->footer(t("cli.help.account_set_footer"));
  set->callback([&l] {
    l.run = [&l](ClientApp& a) { return AccountSet(a, l.locale, l.time_zone); };
  });

  auto* ts = Command(cli, t, "two-step", "cli.help.two_step");
  ts->add_option("state", l.state, t("cli.help.arg.on_off"))
      ->required()
      ->check(CLI::IsMember({"on", "off"}));
  ts->add_flag("--password-stdin", l.password_stdin, t("cli.help.arg.two_step_stdin"));
  ts->callback([&l] {
    l.run = [&l](ClientApp& a) { return TwoStepSwitch(a, l.state == "on", l.password_stdin); };
  });

  auto* devices = Command(cli, t, "devices", "cli.help.devices");
  auto* remove = Command(*devices, t, "remove", "cli.help.devices_remove");
  remove->add_option("id", l.id, t("cli.help.arg.device_id"))->required();
  devices->callback([&l, remove] {
    if (*remove)
      l.run = [&l](ClientApp& a) { return RemoveDevice(a, l.id); };
    else
      l.run = [](ClientApp& a) { return Devices(a); };
  });

  auto* act = Command(cli, t, "activity", "cli.help.activity");
  act->add_option("--limit", l.limit, t("cli.help.arg.limit"))
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  act->add_option("--before", l.before, t("cli.help.arg.before"));
  act->callback([&l] { l.run = [&l](ClientApp& a) { return Activity(a, l.limit, l.before); }; });

  auto* listen = Command(cli, t, "listen", "cli.help.listen");
  listen->add_flag("--once", l.once, t("cli.help.arg.once"));
  listen->callback([&l] { l.run = [&l](ClientApp& a) { return Listen(a, l.once); }; });

  auto* deny = Command(cli, t, "deny", "cli.help.deny");
  deny->add_option("challenge_id", l.challenge, t("cli.help.arg.request_id"))->required();
  deny->callback([&l] { l.run = [&l](ClientApp& a) { return Deny(a, l.challenge); }; });
}

void DeclarePasswords(CLI::App& cli, CommandLine& l, const Texts& t) {
  auto* pw = Command(cli, t, "password", "cli.help.password");
  pw->require_subcommand(1);
  auto* forgot = Command(*pw, t, "forgot", "cli.help.password_forgot");
  forgot->add_option("email", l.email, t("cli.help.arg.email"))->required();
  forgot->add_flag("--password-stdin", l.password_stdin, t("cli.help.arg.forgot_stdin"));
  forgot->callback([&l] {
    l.run = [&l](ClientApp& a) { return PasswordForgot(a, l.email, l.password_stdin); };
  });
  auto* change = Command(*pw, t, "change", "cli.help.password_change");
  change->add_flag("--password-stdin", l.password_stdin, t("cli.help.arg.change_stdin"));
  change->add_flag("--sign-out-others", l.sign_out_others, t("cli.help.arg.sign_out_others"));
  change->callback([&l] {
    l.run = [&l](ClientApp& a) { return PasswordChange(a, l.password_stdin, l.sign_out_others); };
  });
  auto* strength = Command(*pw, t, "strength", "cli.help.password_strength");
  strength->add_option("password", l.password, t("cli.help.arg.password"));
  strength->add_option("--email", l.email, t("cli.help.arg.strength_email"));
  strength->callback(
      [&l] { l.run = [&l](ClientApp& a) { return PasswordStrength(a, l.password, l.email); }; });
  auto* gen = Command(*pw, t, "generate", "cli.help.password_generate");
  gen->add_option("--length", l.length, t("cli.help.arg.length"))
      ->capture_default_str()
      ->check(CLI::Range(12, 128));
  gen->add_flag("--no-symbols", l.no_symbols, t("cli.help.arg.no_symbols"));
  gen->callback([&l] {
    l.run = [&l](ClientApp& a) { return PasswordGenerate(a, l.length, !l.no_symbols); };
  });
}

void DeclareAdmin(CLI::App& cli, CommandLine& l, const Texts& t) {
  auto* admin = Command(cli, t, "admin", "cli.help.admin");
  admin->require_subcommand(1);
  auto* rollout = Command(*admin, t, "rollout", "cli.help.rollout");
  rollout->require_subcommand(1);
  auto* rget = Command(*rollout, t, "get", "cli.help.rollout_get");
  rget->add_option("feature", l.feature, t("cli.help.arg.feature"))->required();
  rget->add_option("app", l.app_id, t("cli.help.arg.app_id"))->required();
  rget->callback(
      [&l] { l.run = [&l](ClientApp& a) { return RolloutGet(a, l.feature, l.app_id); }; });
  auto* rset = Command(*rollout, t, "set", "cli.help.rollout_set");
  rset->add_option("feature", l.feature, t("cli.help.arg.feature"))->required();
  rset->add_option("app", l.app_id, t("cli.help.arg.app_id"))->required();
  rset->add_option("--percent", l.percent, t("cli.help.arg.percent"))
      ->required()
      ->check(CLI::Range(0, 100));
  rset->add_option("--allow", l.allow, t("cli.help.arg.allow"));
  rset->callback([&l] {
    l.run = [&l](ClientApp& a) { return RolloutSet(a, l.feature, l.app_id, l.percent, l.allow); };
  });
}

// CLI11's own words in the help, as far as it lets them be set: the
// headings and labels of its formatter, the group of the options, the
// --help and --version flags. (Its parse errors stay English: docs/I18N.md.)
void TranslateHelp(CLI::App& cli, const Texts& t) {
  auto formatter = cli.get_formatter();
  static const std::pair<const char*, const char*> kLabels[] = {
      {"Usage", "cli.help.label.usage"},
      {"OPTIONS", "cli.help.label.options_badge"},
      {"SUBCOMMAND", "cli.help.label.command_badge"},
      {"SUBCOMMANDS", "cli.help.label.commands_badge"},
      {"Positionals", "cli.help.label.positionals"},
      {"REQUIRED", "cli.help.label.required"},
      {"Env", "cli.help.label.env"},
      {"Needs", "cli.help.label.needs"},
      {"Excludes", "cli.help.label.excludes"}};
  for (const auto& [label, key] : kLabels) formatter->label(label, t(key));
  cli.option_defaults()->group(t("cli.help.label.options"));
  cli.set_help_flag("-h,--help", t("cli.help.help"));
}

}  // namespace

void DeclareCommands(CLI::App& cli, CommandLine& line, const Texts& t) {
  TranslateHelp(cli, t);
  cli.description(t("cli.help.app"));
  cli.require_subcommand(1);
  cli.footer(t("cli.help.exit_status"));
  cli.add_option("--server", line.options.server, t("cli.help.opt.server"))
      ->envname("TWOSTEP_SERVER")
      ->capture_default_str();
  cli.add_option("--profile", line.options.profile, t("cli.help.opt.profile"))
      ->capture_default_str();
  cli.add_option("--app", line.options.app, t("cli.help.opt.app"))->capture_default_str();
  cli.add_option("--lang", line.options.lang, t("cli.help.opt.lang"))->check(LanguageCheck(t));
  cli.add_flag("--json", line.options.json, t("cli.help.opt.json"));
  DeclareSignIn(cli, line, t);
  DeclareAccount(cli, line, t);
  DeclarePasswords(cli, line, t);
  DeclareAdmin(cli, line, t);
}

}  // namespace twostep::cli
