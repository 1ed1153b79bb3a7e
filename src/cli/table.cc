#include "cli/table.h"

#include <algorithm>

#include "cli/text_width.h"

namespace twostep::cli {

void Table::Add(std::vector<std::string> row) {
  row.resize(columns_.size());
  rows_.push_back(std::move(row));
}

std::string Table::Render() const {
  std::vector<std::size_t> widths;
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    std::size_t w = DisplayWidth(columns_[c].header);
    for (const auto& row : rows_) w = std::max(w, DisplayWidth(row[c]));
    widths.push_back(std::min(w, columns_[c].max_width));
  }
  auto line = [&](auto cell_of) {
    std::string out;
    for (std::size_t c = 0; c < columns_.size(); ++c)
      out += c + 1 < columns_.size() ? Cell(cell_of(c), widths[c]) : std::string(cell_of(c));
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line([&](std::size_t c) -> const std::string& { return columns_[c].header; });
  for (const auto& row : rows_)
    out += line([&](std::size_t c) -> const std::string& { return row[c]; });
  return out;
}

}  // namespace twostep::cli
