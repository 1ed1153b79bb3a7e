#include "cli/text_width.h"

#include <gtest/gtest.h>

#include "cli/table.h"

namespace twostep::cli {
namespace {

TEST(TextWidthTest, WideCharactersTakeTwoColumnsCombiningMarksNone) {
  EXPECT_EQ(DisplayWidth("Device:"), 7u);
  EXPECT_EQ(DisplayWidth("デバイス："), 10u);    // katakana and a fullwidth colon
  EXPECT_EQ(DisplayWidth("受信任的裝置"), 12u);  // CJK ideographs
  EXPECT_EQ(DisplayWidth("Ge\xCC\x81rat"), 5u);  // e + U+0301 combining acute
  EXPECT_EQ(DisplayWidth("Gerät"), 5u);
  EXPECT_EQ(DisplayWidth("\xFF" "ab"), 3u);      // not UTF-8: one column per bad byte
}

TEST(TextWidthTest, CellsPadAndCutByColumnsNotBytes) {
  EXPECT_EQ(Cell("名前", 6), "名前   ");           // 4 columns + 2 + 1 space
  // 8 columns: three wide characters (6) and the "~"; a 4th would straddle
  // the edge, so a space fills the gap, then the space after the cell.
  EXPECT_EQ(Cell("信頼できるデバイス", 8), "信頼で~  ");
  EXPECT_EQ(Cell("信頼できるデバイス", 9), "信頼でき~ ");
  EXPECT_EQ(Cell("abcdefghij", 5), "abcd~ ");
  EXPECT_EQ(PadTo("IP：", 8), "IP：    ");
}

TEST(TableTest, ColumnsLineUpWithWideText) {
  Table table({{"名前", 30}, {"場所", 30}});
  table.Add({"ノートパソコン", "東京"});
  table.Add({"phone", "Praha"});
  std::string out = table.Render();
  // Each line: the second column starts at display column 15 (14 + 1).
  size_t start = 0;
  for (int line = 0; line < 3; ++line) {
    size_t end = out.find('\n', start);
    std::string row = out.substr(start, end - start);
    std::string second = line == 0 ? "場所" : line == 1 ? "東京" : "Praha";
    EXPECT_EQ(DisplayWidth(row.substr(0, row.find(second))), 15u) << row;
    start = end + 1;
  }
}

}  // namespace
}  // namespace twostep::cli
