// MaxMind lookups on a corrupt database file.
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>

#include "adapters/maxmind/maxmind_locator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/twostep-fuzz-" + std::to_string(getpid()) + ".mmdb";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  twostep::MaxMindLocator geo({path}, "");
  (void)geo.Locate("203.0.113.7");
  (void)geo.Locate("2001:db8:1::1");
  return 0;
}
