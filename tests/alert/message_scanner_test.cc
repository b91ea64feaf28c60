#include "fengqiao/alert/message_scanner.h"

#include <fstream>
#include <random>
#include <string>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace fengqiao::alert {
namespace {

using ::testing::HasSubstr;

const char kRules[] = FENGQIAO_SOURCE_DIR "/examples/data/alert/rules";

std::shared_ptr<const Normalizer> DefaultNormalizer() {
  static auto* n = new std::shared_ptr<const Normalizer>(*Normalizer::Create());
  return *n;
}

std::shared_ptr<const MessageScanner> Shipped() {
  static auto* s = [] {
    auto loaded = MessageScanner::Load(kRules, DefaultNormalizer());
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    return new std::shared_ptr<const MessageScanner>(*loaded);
  }();
  return *s;
}

// The shipped rules in the other engine (Shipped() uses the default, Hyperscan).
std::shared_ptr<const MessageScanner> ShippedRe2Set() {
  static auto* s = [] {
    auto loaded =
        MessageScanner::Load(kRules, DefaultNormalizer(), {.engine = ScanEngine::kRe2Set});
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    return new std::shared_ptr<const MessageScanner>(*loaded);
  }();
  return *s;
}

absl::StatusOr<std::shared_ptr<const MessageScanner>> ParseRules(
    absl::string_view text, ScanEngine engine = ScanEngine::kHyperscan) {
  return MessageScanner::Parse(text, "test.textproto", DefaultNormalizer(), {.engine = engine});
}

// Both detail levels of `s` (spans; hits only) against the naive twin on `n`.
void ExpectSameAsNaive(const MessageScanner& s, const NormalizedText& n, const std::string& text,
                       std::vector<ScanHit>* naive) {
  std::vector<ScanHit> fast;
  ASSERT_TRUE(s.ScanNaive(n, naive).ok());
  ASSERT_TRUE(s.Scan(n, &fast).ok());
  ASSERT_EQ(fast, *naive) << "message: " << text;
  ASSERT_TRUE(s.Scan(n, &fast, MessageScanner::Detail::kHitsOnly).ok());
  ASSERT_EQ(fast.size(), naive->size()) << "message: " << text;
  for (size_t h = 0; h < fast.size(); ++h) {
    ASSERT_EQ(fast[h].rule, (*naive)[h].rule) << "message: " << text;
    ASSERT_EQ(fast[h].cancelled, (*naive)[h].cancelled) << "message: " << text;
  }
}

constexpr char kOneRule[] = R"pb(
  rules {
    id: "fraud.lure"
    pattern: "刷单"
    unless: "怎么防"
    category: ALERT_CATEGORY_FRAUD
    action: ALERT_ACTION_NOTIFY_COMMUNITY_POLICE
    priority: 60
    examples: "刷单返利"
  }
)pb";

TEST(MessageScanner, ShippedRulesLoadAndLintClean) {
  ASSERT_NE(Shipped(), nullptr);
  EXPECT_GT(Shipped()->rules().rules_size(), 40);
  for (const LintFinding& f : Shipped()->Lint()) {
    ADD_FAILURE() << f.where << " " << f.rule_id << ": " << f.message;
  }
}

TEST(MessageScanner, HitCarriesTheRuleIdAndTheSpanInTheOriginalText) {
  const std::string text = "加 WX,刷*单返利";
  NormalizedText n = *DefaultNormalizer()->Normalize(text);
  std::vector<ScanHit> hits;
  ASSERT_TRUE(Shipped()->Scan(n, &hits).ok());
  const int lure = Shipped()->FindRule("fraud.lure");
  ASSERT_GE(lure, 0);
  const ScanHit* hit = nullptr;
  for (const ScanHit& h : hits) {
    if (h.rule == lure) hit = &h;
  }
  ASSERT_NE(hit, nullptr);
  EXPECT_FALSE(hit->cancelled);
  EXPECT_EQ(text.substr(hit->span.begin, hit->span.end - hit->span.begin), "刷*单");
}

TEST(MessageScanner, NegationPatternCancelsTheHit) {
  auto s = *ParseRules(kOneRule);
  std::vector<ScanHit> hits;
  ASSERT_TRUE(s->Scan(*DefaultNormalizer()->Normalize("刷单怎么防"), &hits).ok());
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_TRUE(hits[0].cancelled);
  ASSERT_TRUE(s->Scan(*DefaultNormalizer()->Normalize("刷 单赚钱"), &hits).ok());
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_FALSE(hits[0].cancelled);
}

TEST(MessageScanner, ContextPatternIsRequired) {
  auto s = *ParseRules(R"pb(
    rules {
      id: "fraud.transfer_now"
      pattern: "正在转账"
      context: "客服|安全账户"
      category: ALERT_CATEGORY_FRAUD
      action: ALERT_ACTION_ALERT_110
      examples: "客服说正在转账"
    })pb");
  std::vector<ScanHit> hits;
  ASSERT_TRUE(s->Scan(*DefaultNormalizer()->Normalize("我正在转账交房租"), &hits).ok());
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_TRUE(hits[0].cancelled);
  ASSERT_TRUE(s->Scan(*DefaultNormalizer()->Normalize("正在转账到安全账户"), &hits).ok());
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_FALSE(hits[0].cancelled);
}

TEST(MessageScanner, BothEnginesAndTheNaiveTwinGiveTheSameHitsOnRandomMessages) {
  // Hyperscan and the RE2::Set, both detail levels, against the naive twin. Messages stitched
  // from the rules' own examples, their fragments and noise, so that many rules, contexts and
  // negations fire together; every other message is long (up to 16 pieces: hundreds of bytes,
  // past the 64-byte blocks of SIMD scanners).
  std::vector<std::string> pieces = {" ",  ",",    "?",      "刷",   "单",     "*",
                                     "😀",  "帳戶", "ＷＸ",   "yhk",  "哈哈哈", "不",
                                     "是", "怎么", "我没事", "正在", "转账"};
  for (const v1::ScanRule& r : Shipped()->rules().rules()) {
    for (const std::string& e : r.examples()) {
      pieces.push_back(e);
      size_t half = e.size() / 2;
      while (half > 0 && (static_cast<unsigned char>(e[half]) & 0xC0) == 0x80) --half;
      pieces.push_back(e.substr(0, half));
    }
  }
  std::mt19937 rng(2026);
  std::vector<ScanHit> naive;
  NormalizedText n;
  int with_hits = 0;
  int long_ones = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int k = 1 + static_cast<int>(rng() % (round % 2 == 0 ? 4 : 16));
    for (int i = 0; i < k; ++i) text += pieces[rng() % pieces.size()];
    ASSERT_TRUE(DefaultNormalizer()->Normalize(text, &n).ok()) << text;
    ExpectSameAsNaive(*Shipped(), n, text, &naive);
    ExpectSameAsNaive(*ShippedRe2Set(), n, text, &naive);
    with_hits += !naive.empty();
    long_ones += n.text.size() > 128;
  }
  EXPECT_GT(with_hits, 1000);
  EXPECT_GT(long_ones, 500);
}

TEST(MessageScanner, BothEnginesGiveTheNaiveTwinsHitsOnTheDevelopmentSplitAndTheHardCases) {
  // The messages the rules were written for, as sent.
  std::vector<std::string> texts;
  std::ifstream dev(FENGQIAO_SOURCE_DIR "/examples/data/alert/corpus/dev.jsonl");
  std::string line;
  while (std::getline(dev, line)) {
    v1::LabelledChatMessage m;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &m).ok()) << line;
    texts.push_back(m.text());
  }
  std::ifstream hard(FENGQIAO_SOURCE_DIR "/tests/alert/data/hard_cases.tsv");
  while (std::getline(hard, line)) {
    std::vector<std::string> f = absl::StrSplit(line, '\t');
    if (!line.empty() && line[0] != '#' && f.size() == 5) texts.push_back(f[4]);
  }
  ASSERT_GT(texts.size(), 900u);
  std::vector<ScanHit> naive;
  NormalizedText n;
  for (const std::string& text : texts) {
    ASSERT_TRUE(DefaultNormalizer()->Normalize(text, &n).ok()) << text;
    ExpectSameAsNaive(*Shipped(), n, text, &naive);
    ExpectSameAsNaive(*ShippedRe2Set(), n, text, &naive);
  }
}

// A NormalizedText that is `text` itself (each byte its own origin): the engines see bytes the
// Normalizer would never produce (upper case, \n, \v, invalid UTF-8).
NormalizedText Verbatim(const std::string& text) {
  NormalizedText n;
  n.text = text;
  n.original_size = static_cast<uint32_t>(text.size());
  for (uint32_t i = 0; i < text.size(); ++i) n.origin.push_back({i, i + 1});
  return n;
}

TEST(MessageScanner, BothEnginesMatchExactlyAsRe2OnSyntaxTheyMayReadDifferently) {
  // Constructs on which Hyperscan and RE2 differ or that the Hyperscan set rewrites: a flag
  // group, \s / \S / \b, '$' before a final newline, '.' and \n, repeated groups, gaps in a
  // group that is a whole alternative, anchors, lazy and counted gaps, a literal {,n}, an
  // alternative matching the empty string only with its context.
  constexpr char kTricky[] = R"pb(
    rules {
      id: "a"
      pattern: "(?i)boss[^,]{0,3}砍|(?i:ǆ)"
      category: ALERT_CATEGORY_VIOLENCE
      action: ALERT_ACTION_ALERT_110
      examples: "boss砍"
    }
    rules {
      id: "b"
      pattern: "转\\s账|转\\S账|\\bok\\b"
      category: ALERT_CATEGORY_FRAUD
      action: ALERT_ACTION_NOTIFY_COMMUNITY_POLICE
      examples: "转 账"
    }
    rules {
      id: "c"
      pattern: "救命$|^通知[^,]{1,3}停水"
      category: ALERT_CATEGORY_PUBLIC_SERVICE
      action: ALERT_ACTION_NONE
      examples: "救命"
    }
    rules {
      id: "d"
      pattern: "a.b|(哈){2,}笑|(孩子[^。!?]{0,4}不见了|老人走丢)"
      category: ALERT_CATEGORY_MISSING_PERSON
      action: ALERT_ACTION_ALERT_110
      examples: "老人走丢"
    }
    rules {
      id: "e"
      pattern: "x[^y]*?z|q{,2}|\\d{3,}元"
      category: ALERT_CATEGORY_FRAUD
      action: ALERT_ACTION_NOTIFY_COMMUNITY_POLICE
      examples: "q{,2}"
    }
    rules {
      id: "f"
      pattern: "火"
      context: "着火|(?i)FIRE|烟[^,]*大"
      unless: "演习$|\\s假"
      category: ALERT_CATEGORY_HAZARD
      action: ALERT_ACTION_ALERT_110
      examples: "着火"
    }
  )pb";
  const std::vector<std::string> pieces = {
      "boss",  "BOSS",   "Boss", "砍",   ",",           "ǆ",    "ǅ",        "Ǆ",        "转",
      "账",    " ",      "\v",   "\n",   "\t",          "ok",   "okay",     "救命",     "通知",
      "停水",  "a",      "b",    "哈",   "笑",          "孩子", "不见了",   "老人走丢", "。",
      "x",     "y",      "z",    "q",    "{,2}",        "123",  "元",       "火",       "着",
      "FIRE",  "烟",     "大",   "演习", "假",          "\xff", "\xe4\xb8", "转\v账",   "转\n账",
      "转 账", "救命\n", "救命", "a\nb", "通知:\n停水", "ǅ砍",  "x\nz",     "烟\n大",   " 假",
      "\v假",  "演习\n", "ok\n"};
  for (ScanEngine engine : {ScanEngine::kHyperscan, ScanEngine::kRe2Set}) {
    absl::StatusOr<std::shared_ptr<const MessageScanner>> parsed = ParseRules(kTricky, engine);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    std::mt19937 rng(13);
    std::vector<ScanHit> naive;
    int with_hits = 0;
    for (int round = 0; round < 4000; ++round) {
      std::string text;
      const int k = 1 + static_cast<int>(rng() % 8);
      for (int i = 0; i < k; ++i) text += pieces[rng() % pieces.size()];
      ExpectSameAsNaive(**parsed, Verbatim(text), text, &naive);
      with_hits += !naive.empty();
    }
    EXPECT_GT(with_hits, 1500);
  }
}

TEST(MessageScanner, GapsNarrowedOrWidenedStillMatchExactlyAsTheirRules) {
  // The RE2::Set holds each alternative with depth-0 gaps as its longest segment, Hyperscan
  // holds it with its gaps widened to ".*"; every candidate is confirmed by RE2, so both engines
  // and the naive twin agree on gaps at depth 0, nested gaps, lazy and unbounded gaps, a flag
  // group and an anchor.
  constexpr char kGaps[] = R"pb(
    rules {
      id: "a.depth0"
      pattern: "(正在|刚刚)[^。!?]{0,6}(转账|汇款)|^通知[^,]{1,3}停水"
      category: ALERT_CATEGORY_FRAUD
      action: ALERT_ACTION_NOTIFY_COMMUNITY_POLICE
      priority: 60
      examples: "正在给他转账"
    }
    rules {
      id: "b.nested"
      pattern: "(孩子[^。!?]{0,4}不见了|老人走丢)|小[^,]*偷"
      category: ALERT_CATEGORY_MISSING_PERSON
      action: ALERT_ACTION_ALERT_110
      priority: 90
      examples: "孩子刚才不见了"
    }
    rules {
      id: "c.lazy_and_flags"
      pattern: "(?i:boss)[^,]{0,3}?砍|x.{2,5}y"
      category: ALERT_CATEGORY_VIOLENCE
      action: ALERT_ACTION_ALERT_110
      priority: 90
      examples: "砍死这个boss 快砍"
    }
  )pb";
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"正在给他转账", {"a.depth0"}},
      {"正在开会讨论明天什么时候去转账", {}},  // the gap is longer than 6
      {"刚刚转账", {"a.depth0"}},
      {"转账正在", {}},
      {"通知:明天停水", {"a.depth0"}},
      {"请看通知:明天停水", {}},
      {"孩子在超市不见了", {"b.nested"}},
      {"孩子在超市里玩然后不见了", {}},
      {"小区里有小偷", {"b.nested"}},
      {"boss快砍", {"c.lazy_and_flags"}},
      {"xaay", {"c.lazy_and_flags"}},
      {"xy", {}},
  };
  for (ScanEngine engine : {ScanEngine::kHyperscan, ScanEngine::kRe2Set}) {
    absl::StatusOr<std::shared_ptr<const MessageScanner>> parsed = ParseRules(kGaps, engine);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    const std::shared_ptr<const MessageScanner>& s = *parsed;
    std::vector<ScanHit> fast, naive;
    NormalizedText n;
    for (const auto& [text, want] : cases) {
      ASSERT_TRUE(DefaultNormalizer()->Normalize(text, &n).ok()) << text;
      ASSERT_TRUE(s->Scan(n, &fast, MessageScanner::Detail::kHitsOnly).ok());
      ASSERT_TRUE(s->ScanNaive(n, &naive).ok());
      std::vector<std::string> got, got_naive;
      for (const ScanHit& h : fast) got.push_back(s->rules().rules(h.rule).id());
      for (const ScanHit& h : naive) got_naive.push_back(s->rules().rules(h.rule).id());
      EXPECT_EQ(got, want) << text;
      EXPECT_EQ(got_naive, want) << text;
    }
  }
}

TEST(MessageScanner, BadPatternIsReportedWithFileLineAndColumn) {
  auto s = ParseRules(R"pb(
    rules {
      id: "broken"
      pattern: "刷单("
      category: ALERT_CATEGORY_FRAUD
      action: ALERT_ACTION_NOTIFY_COMMUNITY_POLICE
    })pb");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.status().message(), HasSubstr("test.textproto:4:"));
  EXPECT_THAT(s.status().message(), HasSubstr("does not compile"));
  EXPECT_THAT(s.status().message(), HasSubstr("broken"));
}

TEST(MessageScanner, SyntaxErrorNamesTheLine) {
  auto s = ParseRules("rules {\n  id: \"x\"\n  pattern: 3\n}\n");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), HasSubstr("test.textproto:3:"));
}

TEST(MessageScanner, DuplicateIdIsAnError) {
  std::string twice = std::string(kOneRule) + kOneRule;
  auto s = ParseRules(twice);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), HasSubstr("duplicate rule id \"fraud.lure\""));
}

TEST(MessageScanner, Refer12345RuleNeedsItsDepartment) {
  auto s = ParseRules(R"pb(
    rules {
      id: "noise"
      pattern: "半夜施工"
      category: ALERT_CATEGORY_PUBLIC_SERVICE
      action: ALERT_ACTION_REFER_12345
    })pb");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), HasSubstr("needs its department"));
  auto t = ParseRules(R"pb(
    rules {
      id: "lure"
      pattern: "刷单"
      category: ALERT_CATEGORY_FRAUD
      action: ALERT_ACTION_NOTIFY_COMMUNITY_POLICE
      department: DEPARTMENT_LABOUR
    })pb");
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.status().message(), HasSubstr("REFER_12345 rules only"));
}

TEST(MessageScanner, UnspecifiedActionAndDisagreeingDeskAreErrors) {
  EXPECT_THAT(ParseRules(R"pb(rules { id: "a" pattern: "x" category: ALERT_CATEGORY_FRAUD })pb")
                  .status()
                  .message(),
              HasSubstr("action unspecified"));
  EXPECT_THAT(ParseRules(R"pb(rules {
                                id: "a"
                                pattern: "x"
                                category: ALERT_CATEGORY_FRAUD
                                action: ALERT_ACTION_ALERT_110
                                desk: ALERT_DESK_12345
                              })pb")
                  .status()
                  .message(),
              HasSubstr("disagrees with action"));
}

TEST(MessageScanner, MissingPathIsNotFound) {
  EXPECT_EQ(MessageScanner::Load("/nonexistent/rules", DefaultNormalizer()).status().code(),
            absl::StatusCode::kNotFound);
}

std::vector<std::string> LintMessages(absl::string_view rules) {
  auto s = ParseRules(rules);
  EXPECT_TRUE(s.ok()) << s.status();
  std::vector<std::string> out;
  if (!s.ok()) return out;
  for (const LintFinding& f : (*s)->Lint()) {
    out.push_back(f.rule_id + " " + f.where + " " + f.message);
  }
  return out;
}

TEST(MessageScanner, LintFindsPatternsThatCanNeverMatch) {
  const auto findings = LintMessages(R"pb(
    rules {
      id: "upper"
      pattern: "WX"
      category: ALERT_CATEGORY_FRAUD
      action: ALERT_ACTION_NOTIFY_COMMUNITY_POLICE
      examples: "WX"
    }
    rules {
      id: "trad"
      pattern: "帳戶"
      category: ALERT_CATEGORY_FRAUD
      action: ALERT_ACTION_NOTIFY_COMMUNITY_POLICE
      examples: "帳戶"
    }
    rules {
      id: "spaced"
      pattern: "刷 单"
      category: ALERT_CATEGORY_FRAUD
      action: ALERT_ACTION_NOTIFY_COMMUNITY_POLICE
      examples: "刷 单"
    }
    rules {
      id: "fullwidth"
      pattern: "ｙｈｋ"
      category: ALERT_CATEGORY_FRAUD
      action: ALERT_ACTION_NOTIFY_COMMUNITY_POLICE
      examples: "ｙｈｋ"
    }
    rules {
      id: "variant"
      pattern: "帐户"
      category: ALERT_CATEGORY_FRAUD
      action: ALERT_ACTION_NOTIFY_COMMUNITY_POLICE
      examples: "帐户"
    }
    rules {
      id: "escapes"
      pattern: "\\p{Han}\\D(?P<n>x)"
      category: ALERT_CATEGORY_FRAUD
      action: ALERT_ACTION_NOTIFY_COMMUNITY_POLICE
      examples: "刷ax"
    })pb");
  auto has = [&](const std::string& what) {
    for (const std::string& f : findings) {
      if (f.find(what) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("upper test.textproto:") && has("upper-case 'W'"));
  EXPECT_TRUE(has("traditional '帳'"));
  EXPECT_TRUE(has("a space between CJK characters"));
  EXPECT_TRUE(has("full-width 'ｙ'"));
  EXPECT_TRUE(has("variant test.textproto:") && has("'帐' becomes '账'"));
  EXPECT_FALSE(has("escapes test.textproto")) << "escapes are not literals";
  EXPECT_TRUE(has("does not match its example"));
}

TEST(MessageScanner, LintFindsDuplicatesMissingExamplesAndEmptyCategories) {
  const auto findings = LintMessages(R"pb(
    rules {
      id: "a"
      pattern: "刷单"
      category: ALERT_CATEGORY_FRAUD
      action: ALERT_ACTION_NOTIFY_COMMUNITY_POLICE
      examples: "刷单"
    }
    rules {
      id: "b"
      pattern: "刷单"
      category: ALERT_CATEGORY_FRAUD
      action: ALERT_ACTION_NOTIFY_COMMUNITY_POLICE
    })pb");
  auto count = [&](const std::string& what) {
    int n = 0;
    for (const std::string& f : findings) n += f.find(what) != std::string::npos;
    return n;
  };
  EXPECT_EQ(count("duplicate pattern: rule \"a\""), 1);
  EXPECT_EQ(count("no examples"), 1);
  EXPECT_EQ(count("category ALERT_CATEGORY_VIOLENCE has no rule"), 1);
  EXPECT_EQ(count("category ALERT_CATEGORY_FRAUD has no rule"), 0);
  // Every category but UNSPECIFIED and FRAUD.
  EXPECT_EQ(count("has no rule"), v1::AlertCategory_ARRAYSIZE - 2);
}

}  // namespace
}  // namespace fengqiao::alert
