// twostepd: the twostep server. See `twostepd --help`.
#include <cstdio>
#include <iostream>
#include <string_view>

#include "app/config.h"
#include "app/server_app.h"
#include "base/version.h"

int main(int argc, char** argv) {
  std::optional<std::string> config_path;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << "Usage: twostepd [--config FILE] [--version]\n\n" << twostep::app::HelpText();
      return 0;
    }
    if (arg == "--version") {
      std::cout << "twostepd " << twostep::Version() << " (commit " << twostep::Commit()
                << ")\n";
      return 0;
    }
    if (arg == "--config" && i + 1 < argc) {
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
    return twostep::app::RunServer(config, config_path, env);
  } catch (const twostep::app::ConfigError& e) {
    std::cerr << "twostepd: configuration error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "twostepd: " << e.what() << "\n";
    return 1;
  }
}
