#include "domain/device_text.h"

#include <cstdlib>

#include <utf8proc.h>

namespace twostep::domain {

Result<std::string> NormalizeDeviceText(std::string_view field, std::string_view text) {
  auto bad = [&](std::string_view what) {
    return Error::InvalidRequest("Field '" + std::string(field) + "' " + std::string(what) + ".");
  };
  utf8proc_uint8_t* out = nullptr;
  auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                        static_cast<utf8proc_ssize_t>(text.size()), &out,
                        static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (n < 0) {
    std::free(out);
    return bad("is not valid UTF-8");
  }
  std::string nfc(reinterpret_cast<char*>(out), static_cast<size_t>(n));
  std::free(out);
  size_t chars = 0;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(nfc.data());
  for (utf8proc_ssize_t i = 0, len = static_cast<utf8proc_ssize_t>(nfc.size()); i < len; ++chars) {
    utf8proc_int32_t cp = 0;
    auto step = utf8proc_iterate(p + i, len - i, &cp);
    if (step <= 0) return bad("is not valid UTF-8");
    switch (utf8proc_category(cp)) {
      case UTF8PROC_CATEGORY_CC:
        return bad("must not contain control characters");
      case UTF8PROC_CATEGORY_CF:
        return bad("must not contain format characters (bidi controls, zero-width characters)");
      case UTF8PROC_CATEGORY_ZL:
      case UTF8PROC_CATEGORY_ZP:
        return bad("must not contain line or paragraph separators");
      default:
        break;
    }
    i += step;
  }
  if (chars < 1 || chars > 64) return bad("must be 1 to 64 characters");
  return nfc;
}

}  // namespace twostep::domain
