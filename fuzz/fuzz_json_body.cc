// HTTP body → JSON object → every typed field reader the API uses.
#include <cstdint>
#include <string_view>

#include "http/json_body.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto o = twostep::http::ParseObject(body);
  if (!o) return 0;
  (void)twostep::http::RequiredString(*o, "email", 320);
  (void)twostep::http::OptionalString(*o, "device_secret", 128);
  (void)twostep::http::RequiredBool(*o, "enabled");
  (void)twostep::http::OptionalBool(*o, "trust_device", true);
  (void)twostep::http::OptionalDevice(*o, "device");
  return 0;
}
