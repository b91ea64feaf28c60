#include "fengqiao/alert/normalizer.h"

#include <random>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fengqiao::alert {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::shared_ptr<const Normalizer> Default() {
  static auto* n = new std::shared_ptr<const Normalizer>(*Normalizer::Create());
  return *n;
}

std::string Norm(absl::string_view text) {
  absl::StatusOr<NormalizedText> n = Default()->Normalize(text);
  EXPECT_TRUE(n.ok()) << n.status();
  return n.ok() ? n->text : "";
}

// The original text behind the first occurrence of `needle` in the normalised text.
std::string Behind(absl::string_view original, absl::string_view needle) {
  NormalizedText n = *Default()->Normalize(original);
  const size_t at = n.text.find(std::string(needle));
  if (at == std::string::npos) return "<not found>";
  const Span s = n.ToOriginal(at, at + needle.size());
  return std::string(original.substr(s.begin, s.end - s.begin));
}

TEST(Normalizer, TraditionalCharactersFromOverseasRelativesBecomeSimplified) {
  EXPECT_EQ(Norm("帳戶凍結,請點鏈接解凍"), "账户冻结,请点链接解冻");
  EXPECT_TRUE(Default()->IsTraditional(U'帳'));
  EXPECT_FALSE(Default()->IsTraditional(U'账'));
}

TEST(Normalizer, PhraseConversionAgreesWithTheCharacterTable) {
  NormalizerOptions options;
  options.phrase_conversion = true;
  auto phrase = *Normalizer::Create(options);
  for (const char* text :
       {"帳戶凍結,請點鏈接解凍", "我剛剛已經轉了五萬到安全帳戶", "這個是不是詐騙"}) {
    EXPECT_EQ(phrase->Normalize(text)->text, Norm(text)) << text;
  }
}

TEST(Normalizer, FullWidthBecomesHalfWidthAndLowerCase) {
  EXPECT_EQ(Norm("ＡＢＣ１２３！？"), "abc123!?");
  EXPECT_EQ(Norm("ＶＸ号"), "微信号");
  EXPECT_EQ(Norm("Hello WORLD"), "hello world");
}

TEST(Normalizer, SpacesAndSymbolsBetweenCjkCharactersAreRemoved) {
  EXPECT_EQ(Norm("刷 单"), "刷单");
  EXPECT_EQ(Norm("贷-款"), "贷款");
  EXPECT_EQ(Norm("刷*单"), "刷单");
  EXPECT_EQ(Norm("刷😀单"), "刷单");
  EXPECT_EQ(Norm("刷 · _ 单"), "刷单");
  EXPECT_EQ(Norm("刷\u3000单"), "刷单");  // ideographic space
  EXPECT_EQ(Norm("刷\u200b单"), "刷单");  // zero-width space
}

TEST(Normalizer, SeparatorsOutsideCjkAndClausePunctuationStay) {
  EXPECT_EQ(Norm("转了 5 万"), "转了 5 万");
  EXPECT_EQ(Norm("hello world"), "hello world");
  EXPECT_EQ(Norm("不是,诈骗"), "不是,诈骗");
  EXPECT_EQ(Norm("好。走"), "好。走");
}

TEST(Normalizer, PinyinAbbreviationsStandingAloneAreExpanded) {
  EXPECT_EQ(Norm("yhk"), "银行卡");
  EXPECT_EQ(Norm("SFZ丢了"), "身份证丢了");
  EXPECT_EQ(Norm("加wx详聊"), "加微信详聊");
  EXPECT_EQ(Norm("用zfb转"), "用支付宝转");
  EXPECT_EQ(Norm("加 vx 刷单"), "加微信刷单");  // expansion first, then separators go
  EXPECT_EQ(Norm("wxid_123"), "wxid_123");      // inside a longer word: left alone
  EXPECT_EQ(Norm("sfzz"), "sfzz");
  // Gas, gambling, UnionPay and the third person, as residents type them.
  EXPECT_EQ(Norm("rq泄露"), "燃气泄露");
  EXPECT_EQ(Norm("ＲＡＮＱＩ味道"), "燃气味道");
  EXPECT_EQ(Norm("ｄｕ场"), "赌场");
  EXPECT_EQ(Norm("yl客服"), "银联客服");
  EXPECT_EQ(Norm("ta说"), "他说");
  EXPECT_EQ(Norm("data说"), "data说");
}

TEST(Normalizer, EverySpanMapsBackToTheOriginalText) {
  EXPECT_EQ(Behind("帳戶 凍結,加 WX 吧", "微信"), "WX");
  EXPECT_EQ(Behind("帳戶 凍結,加 WX 吧", "账户冻结"), "帳戶 凍結");
  EXPECT_EQ(Behind("刷*单返利", "刷单"), "刷*单");
  EXPECT_EQ(Behind("有人收ｙｈｋ", "银行卡"), "ｙｈｋ");
}

TEST(Normalizer, OffsetsStayOnCharacterBoundariesOnRandomText) {
  const std::vector<std::string> pieces = {"刷", " ", "单", "帳", "戶",     "ｙｈｋ", "yhk", "A",
                                           "😀",  "-", ",",  "１", "\u200b", "é",      "wx",  "。"};
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    const int n = static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) text += pieces[rng() % pieces.size()];
    absl::StatusOr<NormalizedText> out = Default()->Normalize(text);
    ASSERT_TRUE(out.ok()) << out.status();
    ASSERT_EQ(out->origin.size(), out->text.size());
    uint32_t last_begin = 0;
    for (const Span& s : out->origin) {
      ASSERT_LE(s.begin, s.end);
      ASSERT_LE(s.end, text.size());
      ASSERT_GE(s.begin, last_begin);  // monotone
      last_begin = s.begin;
      ASSERT_TRUE(s.begin == text.size() ||
                  (static_cast<unsigned char>(text[s.begin]) & 0xC0) != 0x80);
    }
  }
}

TEST(Normalizer, InvalidUtf8IsAnErrorThatNamesTheByteNotTheText) {
  for (std::string bad : {std::string("账户\xff冻结"), std::string("\xe8\xb4"),
                          std::string("\xc0\xaf"), std::string("\xed\xa0\x80")}) {
    absl::StatusOr<NormalizedText> n = Default()->Normalize(bad);
    ASSERT_FALSE(n.ok());
    EXPECT_EQ(n.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(n.status().message(), HasSubstr("not valid UTF-8 at byte"));
    EXPECT_THAT(n.status().message(), Not(HasSubstr("账户")));
  }
}

TEST(Normalizer, HugeInputIsRefusedWithOutOfRange) {
  NormalizerOptions options;
  options.max_input_bytes = 1000;
  auto n = *Normalizer::Create(options);
  EXPECT_TRUE(n->Normalize(std::string(1000, 'a')).ok());
  absl::StatusOr<NormalizedText> big = n->Normalize(std::string(1001, 'a'));
  EXPECT_EQ(big.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(Default()->Normalize(std::string(2 << 20, 'x')).status().code(),
            absl::StatusCode::kOutOfRange);
}

TEST(Normalizer, RandomBytesNeverCrash) {
  std::mt19937 rng(11);
  NormalizedText out;
  for (int round = 0; round < 5000; ++round) {
    std::string text(rng() % 40, '\0');
    for (char& c : text) c = static_cast<char>(rng());
    absl::Status s = Default()->Normalize(text, &out);
    ASSERT_TRUE(s.ok() || s.code() == absl::StatusCode::kInvalidArgument) << s;
    if (!s.ok()) {
      EXPECT_TRUE(out.text.empty());
    }
  }
}

TEST(Normalizer, BadAbbreviationTableIsRefused) {
  NormalizerOptions options;
  options.abbreviations = {{"YHK", "银行卡"}};
  EXPECT_EQ(Normalizer::Create(options).status().code(), absl::StatusCode::kInvalidArgument);
  options.abbreviations = {{"yhk", "银行卡"}, {"yhk", "银行"}};
  EXPECT_EQ(Normalizer::Create(options).status().code(), absl::StatusCode::kInvalidArgument);
  NormalizerOptions missing;
  missing.opencc_config = "/nonexistent/t2s.json";
  EXPECT_EQ(Normalizer::Create(missing).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace fengqiao::alert
