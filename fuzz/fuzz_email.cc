// Email normalisation and masking: a normalised address must be safe in a
// mail header (no CR, LF or NUL) and stable under normalisation.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "domain/email_address.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  auto e = twostep::domain::NormalizeEmail(raw);
  if (!e) return 0;
  if (e->find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) std::abort();
  auto again = twostep::domain::NormalizeEmail(*e);
  if (!again || *again != *e) std::abort();
  (void)twostep::domain::MaskEmail(*e);
  return 0;
}
