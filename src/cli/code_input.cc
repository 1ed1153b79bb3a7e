#include "cli/code_input.h"

#include <array>

namespace twostep::cli {

namespace {

// UTF-8 separators a pasted code may carry: U+00A0 no-break space, U+2009
// thin space, U+202F narrow no-break space, U+2010..U+2015 hyphens and
// dashes, U+2212 minus sign.
constexpr std::array<std::string_view, 10> kWideSeparators{
    "\xC2\xA0",     "\xE2\x80\x89", "\xE2\x80\xAF", "\xE2\x80\x90", "\xE2\x80\x91",
    "\xE2\x80\x92", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\x95", "\xE2\x88\x92"};

size_t SeparatorLength(std::string_view rest) {
  char c = rest.front();
  if (c == ' ' || c == '\t' || c == '-') return 1;
  for (auto sep : kWideSeparators)
    if (rest.substr(0, sep.size()) == sep) return sep.size();
  return 0;
}

}  // namespace

std::optional<std::string> NormalizeCode(std::string_view typed) {
  std::string digits;
  while (!typed.empty()) {
    if (typed.front() >= '0' && typed.front() <= '9') {
      digits += typed.front();
      typed.remove_prefix(1);
      continue;
    }
    size_t skip = SeparatorLength(typed);
    if (skip == 0) return std::nullopt;
    typed.remove_prefix(skip);
  }
  if (digits.size() != 6) return std::nullopt;
  return digits;
}

}  // namespace twostep::cli
