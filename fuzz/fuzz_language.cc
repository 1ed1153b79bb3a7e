// The language and time-zone inputs that reach ICU from the network
// (Accept-Language, a registration's or PATCH's locale and time_zone) and
// from the environment (LANG): whatever comes in, the answer is one of the
// eight languages (or "" for a POSIX name we do not speak), a zone ICU
// accepts formats an instant, and nothing crashes or leaks.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "i18n/messages.h"

namespace i18n = twostep::i18n;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  auto spoken = [](std::string_view tag) {
    return std::find(i18n::kLanguages.begin(), i18n::kLanguages.end(), tag) != i18n::kLanguages.end();
  };
  if (!spoken(i18n::NegotiateLanguage(raw))) std::abort();
  const std::string posix = i18n::LanguageFromPosixLocale(raw);
  if (!posix.empty() && !spoken(posix)) std::abort();
  if (i18n::IsLanguage(raw) != spoken(raw)) std::abort();
  if (i18n::IsTimeZone(raw)) {
    if (i18n::FormatInstant("en", raw, twostep::Timestamp(std::chrono::milliseconds(1796220000000))).empty())
      std::abort();
  }
  (void)i18n::CountryName("de", raw);
  return 0;
}
