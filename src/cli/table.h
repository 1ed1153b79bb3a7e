// Table: the client's lists (trusted devices, Login Activity) as columns
// that line up in any language: each column is as wide as its widest cell
// or header in display columns (cli/text_width.h: a CJK character takes
// two), up to its limit, beyond which a cell is cut and ends with "~". The
// last column is not padded. Not thread-safe; build, then Render.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace twostep::cli {

class Table {
 public:
  struct Column {
    std::string header;
    std::size_t max_width;  // display columns; ids get a limit they never reach
  };
  explicit Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

  // One row; missing cells are empty, extra cells are dropped.
  void Add(std::vector<std::string> row);

  // The header line and the rows, each ended by "\n".
  std::string Render() const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace twostep::cli
