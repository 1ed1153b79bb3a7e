// twostepd: the twostep server. See `twostepd --help`.
#include <cstdio>
#include <iostream>
#include <string_view>

#include "app/config.h"
#include "app/keys_command.h"
#include "app/mail_setup.h"
#include "app/server_app.h"
#include "base/version.h"

int main(int argc, char** argv) {
  std::optional<std::string> config_path;
  bool mail_dns = false;
  bool rotate_keys = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "mail-dns" && i == 1) {
      // Prints the DNS records for the configured mail set-up and exits.
      mail_dns = true;
    } else if (arg == "keys" && i == 1 && i + 1 < argc && std::string_view(argv[i + 1]) == "rotate") {
      rotate_keys = true;  // a new generation of code keys (app/keys_command.h)
      ++i;
    } else if (arg == "--help" || arg == "-h") {
      std::cout << "Usage: twostepd [--config FILE] [--version]\n"
                   "       twostepd mail-dns [--config FILE]   print the SPF, DKIM and DMARC "
                   "records to publish\n"
                   "       twostepd keys rotate [--config FILE]  a new generation of code keys; "
                   "then reload every instance\n\n"
                << twostep::app::HelpText();
      return 0;
    } else if (arg == "--version") {
      std::cout << "twostepd " << twostep::Version() << " (commit " << twostep::Commit()
                << ")\n";
      return 0;
    } else if (arg == "--config" && i + 1 < argc) {
      config_path = argv[++i];
    } else if (arg.rfind("--config=", 0) == 0) {
      config_path = std::string(arg.substr(9));
    } else {
      std::cerr << "twostepd: unknown argument '" << arg << "' (see --help)\n";
      return 2;
    }
  }
  try {
    const auto env = twostep::app::EnvironmentMap();
    auto config = twostep::app::LoadConfig(config_path, env);
    if (mail_dns) {
      std::cout << twostep::app::MailDnsRecords(config);
      return 0;
    }
    if (rotate_keys) return twostep::app::RotateKeys(config, std::cout);
    return twostep::app::RunServer(config, config_path, env);
  } catch (const twostep::app::ConfigError& e) {
    std::cerr << "twostepd: configuration error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "twostepd: " << e.what() << "\n";
    return 1;
  }
}
