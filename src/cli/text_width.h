// How wide text is on a terminal, so that tables and the listen screen line
// up with Chinese and Japanese text: a wide (East Asian) character takes two
// columns, a combining mark none (utf8proc_charwidth, Unicode's East Asian
// Width and general categories). Pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace twostep::cli {

// The columns `utf8` takes on a terminal. A byte that is not valid UTF-8
// counts as one column (it is shown as a replacement character); control
// characters count none.
std::size_t DisplayWidth(std::string_view utf8);

// `utf8` as one table cell `width` columns wide plus one column of space:
// padded with spaces, or cut at a character boundary and ended with "~"
// when it is wider (a wide character that would straddle the edge is left
// out, and the gap is filled with a space).
std::string Cell(std::string_view utf8, std::size_t width);

// `utf8` followed by spaces up to `width` columns (nothing is cut): labels
// whose values must start in one column.
std::string PadTo(std::string_view utf8, std::size_t width);

}  // namespace twostep::cli
