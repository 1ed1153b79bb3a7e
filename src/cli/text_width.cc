#include "cli/text_width.h"

#include <utf8proc.h>

namespace twostep::cli {

namespace {

// One character of `text` from `at`: its length in bytes and its columns.
struct Glyph {
  std::size_t bytes;
  std::size_t columns;
};

Glyph GlyphAt(std::string_view text, std::size_t at) {
  utf8proc_int32_t cp = 0;
  auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + at),
                            static_cast<utf8proc_ssize_t>(text.size() - at), &cp);
  if (n <= 0) return {1, 1};  // not UTF-8: one byte, shown as one replacement character
  int w = utf8proc_charwidth(cp);
  return {static_cast<std::size_t>(n), static_cast<std::size_t>(w > 0 ? w : 0)};
}

}  // namespace

std::size_t DisplayWidth(std::string_view utf8) {
  std::size_t columns = 0;
  for (std::size_t at = 0; at < utf8.size();) {
    Glyph g = GlyphAt(utf8, at);
    columns += g.columns;
    at += g.bytes;
  }
  return columns;
}

std::string Cell(std::string_view utf8, std::size_t width) {
  if (DisplayWidth(utf8) <= width) return PadTo(utf8, width + 1);
  if (width == 0) return " ";
  // Keep what fits in width - 1 columns, then "~" marks the cut.
  std::string out;
  std::size_t columns = 0;
  for (std::size_t at = 0; at < utf8.size();) {
    Glyph g = GlyphAt(utf8, at);
    if (columns + g.columns > width - 1) break;
    out.append(utf8.substr(at, g.bytes));
    columns += g.columns;
    at += g.bytes;
  }
  out += "~";
  return PadTo(out, width + 1);
}

std::string PadTo(std::string_view utf8, std::size_t width) {
  std::string out(utf8);
  std::size_t columns = DisplayWidth(utf8);
  if (columns < width) out.append(width - columns, ' ');
  return out;
}

}  // namespace twostep::cli
