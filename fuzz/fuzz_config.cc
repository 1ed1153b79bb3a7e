// TOML configuration file + an environment override: errors are
// ConfigError, never a crash.
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>

#include "app/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/twostep-fuzz-config-" + std::to_string(getpid()) + ".toml";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  std::string half(reinterpret_cast<const char*>(data), size / 2);
  try {
    (void)twostep::app::LoadConfig(path, {{"TWOSTEP_SERVER_LISTEN", half}});
  } catch (const twostep::app::ConfigError&) {
  }
  return 0;
}
