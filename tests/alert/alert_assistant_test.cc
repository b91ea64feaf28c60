#include "fengqiao/alert/alert_assistant.h"

#include <atomic>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "absl/strings/str_split.h"
#include "fengqiao/vocabulary.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fengqiao::alert {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::shared_ptr<const AlertAssistant> Assistant() {
  static auto* a = [] {
    auto loaded = AlertAssistant::Load(FENGQIAO_SOURCE_DIR "/examples/data/alert/rules");
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    return new std::shared_ptr<const AlertAssistant>(*loaded);
  }();
  return *a;
}

struct HardCase {
  int line;
  v1::AlertAction action;
  v1::AlertCategory category;
  v1::Department department;
  std::string why;
  std::string text;
};

std::vector<HardCase> ReadHardCases() {
  std::ifstream in(FENGQIAO_SOURCE_DIR "/tests/alert/data/hard_cases.tsv");
  EXPECT_TRUE(in.good());
  std::vector<HardCase> out;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f = absl::StrSplit(line, '\t');
    if (f.size() != 5) {
      ADD_FAILURE() << "hard_cases.tsv:" << n << ": expected 5 columns";
      continue;
    }
    HardCase c{n, {}, {}, v1::DEPARTMENT_UNSPECIFIED, f[3], f[4]};
    auto a = ParseEnum<v1::AlertAction>(f[0]);
    auto k = ParseEnum<v1::AlertCategory>(f[1]);
    EXPECT_TRUE(a.ok() && k.ok()) << "hard_cases.tsv:" << n;
    if (!a.ok() || !k.ok()) continue;
    c.action = *a;
    c.category = *k;
    if (f[2] != "-") {
      auto d = ParseEnum<v1::Department>(f[2]);
      EXPECT_TRUE(d.ok()) << "hard_cases.tsv:" << n;
      if (d.ok()) c.department = *d;
    }
    out.push_back(c);
  }
  return out;
}

v1::AlertDecision Decide(absl::string_view text) {
  absl::StatusOr<v1::AlertDecision> d = Assistant()->Decide(text);
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? *d : v1::AlertDecision();
}

TEST(AlertAssistant, MoneyBeingTransferredNowGoesTo110) {
  const v1::AlertDecision d = Decide("我妈正在给客服转账,说是安全账户,怎么办");
  EXPECT_EQ(d.action(), v1::ALERT_ACTION_ALERT_110) << d.reason();
  EXPECT_EQ(d.category(), v1::ALERT_CATEGORY_FRAUD);
  ASSERT_GE(d.rule_ids_size(), 1);
  EXPECT_EQ(d.rule_ids(0), "fraud.transfer_now");
}

TEST(AlertAssistant, TransferWithoutAScamIsNotAnAlert) {
  EXPECT_EQ(Decide("我刚刚转了房租给房东").action(), v1::ALERT_ACTION_NONE);
}

TEST(AlertAssistant, FraudQuestionWithoutMoneyMovingGoesToCommunityPolice) {
  const v1::AlertDecision d = Decide("收到一封银行邮件,说要点链接解冻大额资金,这个是不是诈骗?");
  EXPECT_EQ(d.action(), v1::ALERT_ACTION_NOTIFY_COMMUNITY_POLICE) << d.reason();
  EXPECT_EQ(d.category(), v1::ALERT_CATEGORY_FRAUD);
}

TEST(AlertAssistant, NegatedFraudQuestionIsStillAFraudQuestion) {
  EXPECT_EQ(Decide("不是诈骗吧?对方说是京东客服").action(),
            v1::ALERT_ACTION_NOTIFY_COMMUNITY_POLICE);
}

TEST(AlertAssistant, QuotedScamWarningIsNotAnAlert) {
  const v1::AlertDecision d = Decide("大家注意,有人冒充客服说要注销百万保障,千万别信");
  EXPECT_EQ(d.action(), v1::ALERT_ACTION_NONE) << d.reason();
  EXPECT_EQ(d.rule_ids(0), "context.fraud_warning");
  EXPECT_THAT(d.overridden_rule_ids(), ::testing::Contains("fraud.lure"));
  EXPECT_THAT(d.reason(), HasSubstr("fraud.lure (overridden)"));
}

TEST(AlertAssistant, WarningThatAsksIsStillAFraudQuestion) {
  EXPECT_EQ(Decide("大家注意,我收到短信说账户冻结,是不是诈骗?").action(),
            v1::ALERT_ACTION_NOTIFY_COMMUNITY_POLICE);
}

TEST(AlertAssistant, BanksGenuineAnnouncementIsNotAnAlertButAPhishingCopyIs) {
  EXPECT_EQ(Decide("【舟山农商银行】我行不会以任何理由要求您转账到安全账户。").action(),
            v1::ALERT_ACTION_NONE);
  EXPECT_EQ(Decide("【舟山农商银行】您的账户已冻结,请点击链接解冻").action(),
            v1::ALERT_ACTION_NOTIFY_COMMUNITY_POLICE);
}

TEST(AlertAssistant, GameTalkAndJokesAreNotViolence) {
  EXPECT_EQ(Decide("今晚吃鸡,我要砍死这个BOSS").action(), v1::ALERT_ACTION_NONE);
  EXPECT_EQ(Decide("昨晚王者杀疯了").action(), v1::ALERT_ACTION_NONE);
  EXPECT_EQ(Decide("他拿着刀在3号楼追人").action(), v1::ALERT_ACTION_ALERT_110);
}

TEST(AlertAssistant, IAmFineIsNotAnEmergency) {
  EXPECT_EQ(Decide("我没事,谢谢").action(), v1::ALERT_ACTION_NONE);
  EXPECT_EQ(Decide("孩子找到了,谢谢大家").action(), v1::ALERT_ACTION_NONE);
}

TEST(AlertAssistant, NightConstructionNoiseGoesTo12345WithCityManagement) {
  const v1::AlertDecision d = Decide("旁边工地半夜12点还在打桩,吵得孩子睡不着");
  EXPECT_EQ(d.action(), v1::ALERT_ACTION_REFER_12345) << d.reason();
  EXPECT_EQ(d.department(), v1::DEPARTMENT_CITY_MANAGEMENT);
  EXPECT_THAT(d.reason(), HasSubstr("城管"));
}

TEST(AlertAssistant, BlockedFireLaneGoesTo12345WithFireRescueNotTo110) {
  const v1::AlertDecision d = Decide("消防通道又被私家车堵死了,万一着火怎么办");
  EXPECT_EQ(d.action(), v1::ALERT_ACTION_REFER_12345) << d.reason();
  EXPECT_EQ(d.department(), v1::DEPARTMENT_FIRE_RESCUE);
}

TEST(AlertAssistant, FireNowGoesTo110ButAnAnnouncedDrillDoesNot) {
  EXPECT_EQ(Decide("12栋5楼阳台着火了🔥🔥").action(), v1::ALERT_ACTION_ALERT_110);
  EXPECT_EQ(Decide("明天小区消防演练,会有烟雾,请勿惊慌").action(), v1::ALERT_ACTION_NONE);
}

TEST(AlertAssistant, MissingChildGoesTo110ButALostPhoneDoesNot) {
  const v1::AlertDecision d = Decide("急!我家孩子在长峙公园走丢了,穿红色外套");
  EXPECT_EQ(d.action(), v1::ALERT_ACTION_ALERT_110);
  EXPECT_EQ(d.category(), v1::ALERT_CATEGORY_MISSING_PERSON);
  EXPECT_NE(Decide("孩子手机丢了").action(), v1::ALERT_ACTION_ALERT_110);
}

TEST(AlertAssistant, SelfHarmIntentGoesTo110ButSaleHyperboleDoesNot) {
  EXPECT_EQ(Decide("欠了这么多钱,真的不想活了").category(), v1::ALERT_CATEGORY_SELF_HARM);
  EXPECT_EQ(Decide("欠了这么多钱,真的不想活了").action(), v1::ALERT_ACTION_ALERT_110);
  EXPECT_EQ(Decide("水果店跳楼价大甩卖").action(), v1::ALERT_ACTION_NONE);
}

TEST(AlertAssistant, InjuryAccidentGoesTo110ButAScrapeWithoutInjuriesGetsAReply) {
  EXPECT_EQ(Decide("路口车祸,有个老人倒地不起").action(), v1::ALERT_ACTION_ALERT_110);
  const v1::AlertDecision d = Decide("停车场刮蹭了,没人受伤,怎么处理");
  EXPECT_EQ(d.action(), v1::ALERT_ACTION_STANDARD_REPLY) << d.reason();
  EXPECT_EQ(d.reply_category(), "交通事故处理");
}

TEST(AlertAssistant, SuspiciousPersonsDisputesAndGamblingGoToTheCommunityOfficer) {
  const struct {
    const char* text;
    v1::AlertCategory category;
  } cases[] = {
      {"有个陌生男子在楼道里挨家拧门把手", v1::ALERT_CATEGORY_SUSPICIOUS_PERSON},
      {"楼上楼下又吵起来了,还扬言要找人", v1::ALERT_CATEGORY_DISPUTE},
      {"出租屋天天半夜有人聚赌", v1::ALERT_CATEGORY_GAMBLING_DRUGS},
  };
  for (const auto& c : cases) {
    const v1::AlertDecision d = Decide(c.text);
    EXPECT_EQ(d.action(), v1::ALERT_ACTION_NOTIFY_COMMUNITY_POLICE) << c.text;
    EXPECT_EQ(d.category(), c.category) << c.text;
  }
  EXPECT_EQ(Decide("今天菠菜多少钱一斤").action(), v1::ALERT_ACTION_NONE);
}

TEST(AlertAssistant, PublicServiceMattersGoTo12345WithTheirDepartment) {
  const struct {
    const char* text;
    v1::Department department;
  } cases[] = {
      {"8栋电梯又坏了", v1::DEPARTMENT_HOUSING_CONSTRUCTION},
      {"楼下超市卖过期牛奶", v1::DEPARTMENT_MARKET_REGULATION},
      {"老板跑路了,三个月工资没发", v1::DEPARTMENT_LABOUR},
      {"河边的厂偷排污水,一股恶臭", v1::DEPARTMENT_ENVIRONMENT},
      {"小区又停水了,物业也不理", v1::DEPARTMENT_COMMUNITY},
      {"顶楼在天台上搭了个铁皮房", v1::DEPARTMENT_CITY_MANAGEMENT},
  };
  for (const auto& c : cases) {
    const v1::AlertDecision d = Decide(c.text);
    EXPECT_EQ(d.action(), v1::ALERT_ACTION_REFER_12345) << c.text;
    EXPECT_EQ(d.department(), c.department) << c.text;
  }
  EXPECT_EQ(Decide("停电通知:明天9:00-12:00检修停电").action(), v1::ALERT_ACTION_NONE);
}

TEST(AlertAssistant, DecidesTheSameFromManyThreads) {
  const std::vector<HardCase> cases = ReadHardCases();
  std::vector<std::string> expected;
  for (const HardCase& c : cases) expected.push_back(Decide(c.text).SerializeAsString());
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      // Each thread has its own scratch (and, inside the scanner, its own Hyperscan scratch).
      AlertScratch scratch;
      for (int round = 0; round < 20; ++round) {
        for (size_t i = 0; i < cases.size(); ++i) {
          absl::StatusOr<v1::AlertDecision> d = Assistant()->Decide(cases[i].text);
          if (!d.ok() || d->SerializeAsString() != expected[i]) ++mismatches;
          absl::StatusOr<Verdict> v = Assistant()->Classify(cases[i].text, &scratch);
          if (!v.ok() || !d.ok() || v->action != d->action()) ++mismatches;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(AlertAssistant, OrdinaryQuestionGetsAStandardReplyWithItsBankCategory) {
  const v1::AlertDecision d = Decide("外地来舟山打工,居住证在哪里办?");
  EXPECT_EQ(d.action(), v1::ALERT_ACTION_STANDARD_REPLY);
  EXPECT_EQ(d.category(), v1::ALERT_CATEGORY_QUESTION);
  EXPECT_EQ(d.reply_category(), "居住证办理");
}

TEST(AlertAssistant, ChitChatGetsNothing) {
  const v1::AlertDecision d = Decide("今天天气真好");
  EXPECT_EQ(d.action(), v1::ALERT_ACTION_NONE);
  EXPECT_EQ(d.category(), v1::ALERT_CATEGORY_CHITCHAT);
  EXPECT_EQ(d.rule_ids_size(), 0);
  EXPECT_THAT(d.reason(), HasSubstr("no rule matched"));
}

TEST(AlertAssistant, DecisionCarriesEvidenceSpansInTheOriginalTextAndOneLineReason) {
  v1::ChatMessage m;
  m.set_id("m-7");
  m.set_text("有人收 ＹＨＫ,出500");
  absl::StatusOr<v1::AlertDecision> d = Assistant()->Decide(m);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->message_id(), "m-7");
  ASSERT_EQ(d->spans_size(), d->rule_ids_size());
  ASSERT_GE(d->spans_size(), 1);
  const v1::EvidenceSpan& s = d->spans(0);
  EXPECT_EQ(s.rule_id(), "fraud.lure");
  EXPECT_EQ(m.text().substr(s.begin(), s.end() - s.begin()), "收 ＹＨＫ");
  EXPECT_EQ(s.snippet(), "收 ＹＨＫ");
  EXPECT_THAT(d->reason(), Not(HasSubstr("\n")));
  EXPECT_THAT(d->reason(), HasSubstr("fraud.lure \"收 ＹＨＫ\""));
}

TEST(AlertAssistant, EmittedOutputNeverHoldsRawPersonalData) {
  const std::string text =
      "我叫王小明,我妈刚刚已经转了钱给客服,客服电话13800005678,让转到卡号6222020000001234567,"
      "还要身份证33090219900101123X";
  const v1::AlertDecision d = Decide(text);
  EXPECT_EQ(d.action(), v1::ALERT_ACTION_ALERT_110) << d.reason();
  const std::string out = d.DebugString();  // everything the assistant emits
  for (const char* raw : {"王小明", "13800005678", "6222020000001234567", "33090219900101123X",
                          "00005678", "0000001234567", "19900101"}) {
    EXPECT_THAT(out, Not(HasSubstr(raw))) << raw;
  }
  EXPECT_THAT(d.masked_text(), HasSubstr("138****5678"));
  EXPECT_THAT(d.masked_text(), HasSubstr("330902********123X"));
  EXPECT_THAT(d.masked_text(), HasSubstr("我叫王**"));
}

TEST(AlertAssistant, InvalidUtf8AndHugeMessagesAreErrorsNotCrashes) {
  EXPECT_EQ(Assistant()->Decide("转账\xff").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Assistant()->Decide(std::string(1 << 20, 'a')).status().code(),
            absl::StatusCode::kOutOfRange);
}

TEST(AlertAssistant, EveryHardCaseOfTheFixtureDecidesRight) {
  const std::vector<HardCase> cases = ReadHardCases();
  EXPECT_GE(cases.size(), 60u);
  std::set<int> actions;
  AlertScratch scratch;
  for (const HardCase& c : cases) {
    actions.insert(c.action);
    const v1::AlertDecision d = Decide(c.text);
    EXPECT_EQ(LabelOf(d.action()).proto_name, LabelOf(c.action).proto_name)
        << "hard_cases.tsv:" << c.line << " (" << c.why << "): " << d.reason();
    EXPECT_EQ(LabelOf(d.category()).proto_name, LabelOf(c.category).proto_name)
        << "hard_cases.tsv:" << c.line << " (" << c.why << "): " << d.reason();
    EXPECT_EQ(LabelOf(d.department()).proto_name, LabelOf(c.department).proto_name)
        << "hard_cases.tsv:" << c.line << " (" << c.why << ")";
    // The fast path agrees with the full decision.
    absl::StatusOr<Verdict> v = Assistant()->Classify(c.text, &scratch);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->action, d.action());
    EXPECT_EQ(v->category, d.category());
    EXPECT_EQ(v->department, d.department());
  }
  // Every action of the policy is exercised.
  EXPECT_EQ(actions.size(), static_cast<size_t>(v1::AlertAction_ARRAYSIZE - 1));
}

}  // namespace
}  // namespace fengqiao::alert
