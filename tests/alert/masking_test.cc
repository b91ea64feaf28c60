#include "fengqiao/alert/masking.h"

#include <string>

#include "gtest/gtest.h"

namespace fengqiao::alert {
namespace {

TEST(Masking, PhoneNumberKeepsFirstThreeAndLastFourDigits) {
  EXPECT_EQ(MaskPersonalData("电话13800005678"), "电话138****5678");
  EXPECT_EQ(MaskPersonalData("打138-0000-5678找我"), "打138-****-5678找我");
  EXPECT_EQ(MaskPersonalData("１３９０００００１２３"), "１３９****０１２３");
}

// Found by the chat-message fuzzer: digits that follow a phone number after a space made one long
// run of no known kind, and the phone number stayed in clear.
TEST(Masking, APhoneNumberFollowedByOtherDigitGroupsIsStillMasked) {
  EXPECT_EQ(MaskPersonalData("HH_14000000002 0000 1234 5678"), "HH_140****0002 0000 1234 5678");
  // 11 + 1 + 1 digits read as one 13-digit account number: masked as such.
  EXPECT_EQ(MaskPersonalData("找13912345678 2 3"), "找139******78 2 3");
}

TEST(Masking, IdNumberKeepsFirstSixAndLastFour) {
  EXPECT_EQ(MaskPersonalData("身份证33090219900101123X"), "身份证330902********123X");
  EXPECT_EQ(MaskPersonalData("sfz 330902200001011234。"), "sfz 330902********1234。");
}

TEST(Masking, BankCardKeepsFirstFourAndLastFour) {
  EXPECT_EQ(MaskPersonalData("卡号6222020000001234567"), "卡号6222***********4567");
  EXPECT_EQ(MaskPersonalData("6222 0200 0000 1234"), "6222 **** **** 1234");
}

TEST(Masking, NameAfterWoJiaoKeepsTheSurnameOnly) {
  EXPECT_EQ(MaskPersonalData("我叫王小明,住3栋"), "我叫王**,住3栋");
  EXPECT_EQ(MaskPersonalData("我叫 陈阿姨"), "我叫 陈**");
  EXPECT_EQ(MaskPersonalData("我叫了救护车"), "我叫了救护车");
}

TEST(Masking, ShortNumbersAndAmountsStay) {
  EXPECT_EQ(MaskPersonalData("转了50000元,3号楼"), "转了50000元,3号楼");
  EXPECT_EQ(MaskPersonalData("打110"), "打110");
}

TEST(Masking, ExcerptMasksTheCharactersInsideTheSpanOnly) {
  const std::string text = "快打13800005678";
  const std::vector<Span> masked = FindPersonalData(text);
  EXPECT_EQ(MaskedExcerpt(text, {3, 16}, masked), "打138****567");
}

TEST(Masking, InvalidUtf8NeverCrashes) {
  EXPECT_EQ(MaskPersonalData("a\xff"
                             "b"),
            "a?b");
}

}  // namespace
}  // namespace fengqiao::alert
