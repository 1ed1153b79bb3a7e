// Password normalisation (NFKC) and strength input.
#include <cstdint>
#include <string_view>

#include "domain/password_policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  auto pw = twostep::domain::NormalizePassword(raw);
  if (!pw) return 0;
  (void)twostep::domain::EvaluatePassword(*pw, "someone@example.com", {});
  return 0;
}
