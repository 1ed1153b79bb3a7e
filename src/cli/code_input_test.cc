#include "cli/code_input.h"

#include <gtest/gtest.h>

namespace twostep::cli {
namespace {

TEST(NormalizeCodeTest, AcceptsTheWaysPeopleTypeAndPasteACode) {
  for (const char* typed : {"617244", "617 244", "617-244", " 617244 ", "6 1 7 2 4 4", "\t617244",
                            "617\xE2\x80\x93"
                            "244",
                            "617\xC2\xA0"
                            "244",
                            "617\xE2\x80\xAF"
                            "244",
                            "617\xE2\x88\x92"
                            "244"})
    EXPECT_EQ(NormalizeCode(typed), "617244") << typed;
}

TEST(NormalizeCodeTest, RefusesWhatIsNotSixDigits) {
  for (const char* typed : {"", "61724", "6172444", "617 24", "61a244", "617_244", "617.244",
                            "\xEF\xBC\x96"
                            "17244" /* fullwidth 6 */,
                            "r", "e"})
    EXPECT_EQ(NormalizeCode(typed), std::nullopt) << typed;
}

}  // namespace
}  // namespace twostep::cli
