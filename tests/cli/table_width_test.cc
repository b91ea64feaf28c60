// The CLI's tables are padded by fmt's width, which counts display columns: a CJK character
// takes two, so columns after Chinese names line up in a terminal. If fmt ever counted bytes or
// code points instead, these tests would fail and src/internal/text.h would need its own width.
#include <string>

#include "fmt/format.h"
#include "gtest/gtest.h"
#include "internal/text.h"
#include "tools/commands.h"

namespace fengqiao {
namespace {

TEST(TableWidth, FmtPadsChineseToDisplayColumnsNotBytesOrCodePoints) {
  // 中文: 6 bytes, 2 code points, 4 columns.
  EXPECT_EQ(fmt::format("{:<10}|", "中文"), "中文      |");
  EXPECT_EQ(fmt::format("{:>10}|", "中文"), "      中文|");
  // A grid name mixing ideographs and a digit: 7 x 2 + 1 = 15 columns.
  EXPECT_EQ(fmt::format("{:<18}|", "金鸡社区第1网格"), "金鸡社区第1网格   |");
  // Labels of the vocabulary: ASCII and Chinese in one string.
  EXPECT_EQ(fmt::format("{:<20}|", "neighbour (邻里)"), "neighbour (邻里)    |");
}

TEST(TableWidth, OtherWideScriptsTakeTwoColumnsToo) {
  EXPECT_EQ(fmt::format("{:<8}|", "한국"), "한국    |");  // Hangul
  EXPECT_EQ(fmt::format("{:<8}|", "かな"), "かな    |");  // kana
  EXPECT_EQ(fmt::format("{:<8}|", "ＡＢ"), "ＡＢ    |");  // full-width forms
  EXPECT_EQ(fmt::format("{:<8}|", "\xF0\xA0\x80\x80"), "\xF0\xA0\x80\x80      |");  // U+20000
  EXPECT_EQ(fmt::format("{:<8}|", "é"), "é       |");  // a Latin letter stays one column
}

TEST(TableWidth, TextWiderThanTheColumnIsNeitherCutNorPadded) {
  EXPECT_EQ(fmt::format("{:<6}|", "舟山市新城"), "舟山市新城|");
}

TEST(TableWidth, PadRightIsFmtWidth) {
  EXPECT_EQ(internal::PadRight("社区", 7), "社区   ");
  EXPECT_EQ(internal::PadRight("street", 7), "street ");
}

TEST(TableWidth, MixRowsLineUpTheirCountsAfterChineseAndAsciiNames) {
  // The count column starts at display column 4 + 34 + 1 in every row.
  EXPECT_EQ(tools::FormatMixRow("neighbour (邻里)", 12, 100),
            "    neighbour (邻里)" + std::string(18, ' ') + "     12   12.0%\n");
  EXPECT_EQ(tools::FormatMixRow("other", 3, 4),
            "    other" + std::string(29, ' ') + "      3   75.0%\n");
}

}  // namespace
}  // namespace fengqiao
