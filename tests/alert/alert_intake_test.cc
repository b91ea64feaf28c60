// Alerts raised as incidents: one case per event however many groups forward it, through the
// same routing and closure loop as any report.
#include "fengqiao/alert/alert_intake.h"

#include <algorithm>

#include "fengqiao/closure/case_loop.h"
#include "fengqiao/routing/rule_set.h"
#include "fengqiao/routing/rule_source.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace fengqiao::alert {
namespace {

using ::fengqiao::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kMorning = 1791943200;  // 2026-10-14 10:00 (+08)
constexpr char kScam[] =
    "yhk被冻结了 有人说交2000手续费可以帮我解冻 他发了个链接 www.yb-jiedong.top/verify "
    "客服电话13800005678 我还没交";

class Intake : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    map_ = new std::shared_ptr<const GridMap>(
        *GridMap::Load(FENGQIAO_SOURCE_DIR "/examples/data/grid_map.textproto"));
    assistant_ = new std::shared_ptr<const AlertAssistant>(
        *AlertAssistant::Load(FENGQIAO_SOURCE_DIR "/examples/data/alert/rules"));
  }
  v1::ChatMessage Message(const std::string& id, const std::string& text, int64_t at,
                          const std::string& grid = "xc-lc-c1-g1") {
    v1::ChatMessage m;
    m.set_id(id);
    m.set_group_id(absl::StrCat("group-", id));
    m.set_grid_code(grid);
    m.mutable_sent_at()->set_seconds(at);
    m.set_text(text);
    return m;
  }
  absl::StatusOr<std::optional<RaisedAlert>> Raise(AlertIntake& intake, const v1::ChatMessage& m) {
    absl::StatusOr<v1::AlertDecision> d = (*assistant_)->Decide(m);
    if (!d.ok()) return d.status();
    return intake.Raise(m, *d);
  }
  static std::shared_ptr<const GridMap>* map_;
  static std::shared_ptr<const AlertAssistant>* assistant_;
};
std::shared_ptr<const GridMap>* Intake::map_ = nullptr;
std::shared_ptr<const AlertAssistant>* Intake::assistant_ = nullptr;

TEST_F(Intake, AScamAlertBecomesAMaskedFraudIncidentThatRoutesAndOpensAsACase) {
  AlertIntake intake(*assistant_, *map_);
  ASSERT_OK_AND_ASSIGN(v1::AlertDecision d, (*assistant_)->Decide(Message("m-1", kScam, kMorning)));
  ASSERT_TRUE(d.action() == v1::ALERT_ACTION_ALERT_110 ||
              d.action() == v1::ALERT_ACTION_NOTIFY_COMMUNITY_POLICE)
      << v1::AlertAction_Name(d.action());
  ASSERT_OK_AND_ASSIGN(std::optional<RaisedAlert> raised,
                       intake.Raise(Message("m-1", kScam, kMorning), d));
  ASSERT_TRUE(raised.has_value());
  EXPECT_TRUE(raised->is_new);
  EXPECT_EQ(raised->reports, 1);
  const v1::Incident& incident = raised->incident;
  EXPECT_EQ(incident.id(), "chat-m-1");
  EXPECT_EQ(incident.channel(), v1::CHANNEL_CHAT_GROUP);
  EXPECT_EQ(incident.kind(), v1::INCIDENT_KIND_FRAUD);
  EXPECT_THAT(incident.description(), Not(HasSubstr("13800005678")));
  EXPECT_THAT(incident.tags(), ::testing::Contains("chat-alert"));
  // Through the district's routing and the closure loop like any other report.
  ASSERT_OK_AND_ASSIGN(auto source, RuleSetSource::Load(FENGQIAO_SOURCE_DIR
                                                        "/examples/data/rules/district.textproto"));
  ASSERT_OK_AND_ASSIGN(auto rules, RuleSet::Compile(source, *map_));
  ASSERT_OK_AND_ASSIGN(RoutingFacts facts, MakeRoutingFacts(incident, 0, *rules));
  const v1::Decision decision = rules->Decide(facts, incident.id());
  EXPECT_FALSE(decision.rule_id().empty());
  EXPECT_OK(CaseLoop::Open(incident, decision, absl::FromUnixSeconds(kMorning), "ai-butler"));
}

TEST_F(Intake, OneScamForwardedToManyGroupsIsOneIncidentWithManyReports) {
  AlertIntake intake(*assistant_, *map_);
  const std::vector<std::string> forwards = {
      kScam,
      // punctuation and emoji added
      "yhk被冻结了!! 有人说交2000手续费可以帮我解冻 😱 他发了个链接 www.yb-jiedong.top/verify "
      "客服电话13800005678 我还没交",
      // traditional characters and full-width digits (the normaliser folds them)
      "銀行卡被凍結了 有人說交２０００手續費可以幫我解凍 他發了個鏈接 www.yb-jiedong.top/verify "
      "客服電話13800005678 我還沒交",
      // other words, the same link
      "又有人说交手续费帮解冻 链接是 www.yb-jiedong.top/verify 大家千万别交钱",
  };
  std::string first_id;
  for (size_t i = 0; i < forwards.size(); ++i) {
    ASSERT_OK_AND_ASSIGN(
        std::optional<RaisedAlert> raised,
        Raise(intake, Message(absl::StrCat("f-", i), forwards[i], kMorning + 600 * i,
                              i % 2 == 0 ? "xc-lc-c1-g1" : "xc-qd-c2-g3")));
    ASSERT_TRUE(raised.has_value()) << i;
    if (i == 0) {
      EXPECT_TRUE(raised->is_new);
      first_id = raised->incident_id;
    } else {
      EXPECT_FALSE(raised->is_new) << i;
      EXPECT_EQ(raised->incident_id, first_id) << i;
    }
    EXPECT_EQ(raised->reports, static_cast<int>(i) + 1);
  }
  // Without a link, the text alone: the same words with other punctuation and emoji are one
  // event, other words another.
  const std::string plain =
      "那个客服说再转一万就可以退款 我现在卡里就剩一万了 转了应该就能回来吧 大家快帮我看看";
  ASSERT_OK_AND_ASSIGN(std::optional<RaisedAlert> a,
                       Raise(intake, Message("p-1", plain, kMorning + 4000)));
  ASSERT_OK_AND_ASSIGN(std::optional<RaisedAlert> b,
                       Raise(intake, Message("p-2",
                                             "那个客服说再转一万就可以退款,我现在卡里就剩一万了 😰 "
                                             "转了应该就能回来吧 大家快帮我看看!!",
                                             kMorning + 4100)));
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_TRUE(a->is_new);
  EXPECT_NE(a->incident_id, first_id);
  EXPECT_FALSE(b->is_new);
  EXPECT_EQ(b->incident_id, a->incident_id);
  // A day and more later the same text is a new event.
  ASSERT_OK_AND_ASSIGN(std::optional<RaisedAlert> later,
                       Raise(intake, Message("f-later", kScam, kMorning + 2 * 86400)));
  ASSERT_TRUE(later.has_value());
  EXPECT_TRUE(later->is_new);
}

TEST_F(Intake, AServiceRunningForMonthsHoldsAWindowsWorthOfIncidents) {
  AlertIntake intake(*assistant_, *map_);  // window: 24 hours
  size_t most = 0;
  constexpr int kDays = 60, kPerDay = 48;
  for (int day = 0; day < kDays; ++day) {
    for (int k = 0; k < kPerDay; ++k) {
      // A different scam every half hour (its own link and words), each forwarded once ten
      // minutes later.
      std::string tag;
      for (int n = day * kPerDay + k; tag.size() < 4; n /= 26) tag.push_back('a' + n % 26);
      std::string text = kScam;
      text.replace(text.find("yb-jiedong"), 10, "scam-" + tag);
      text += " 编号" + tag;
      const int64_t at = kMorning + (day * kPerDay + k) * 1800;
      ASSERT_OK_AND_ASSIGN(std::optional<RaisedAlert> first,
                           Raise(intake, Message(absl::StrCat("m", day, "-", k), text, at)));
      ASSERT_TRUE(first.has_value() && first->is_new);
      ASSERT_OK_AND_ASSIGN(std::optional<RaisedAlert> again,
                           Raise(intake, Message(absl::StrCat("r", day, "-", k), text, at + 600)));
      ASSERT_TRUE(again.has_value());
      EXPECT_FALSE(again->is_new) << "a forward within the window is the same incident";
      most = std::max(most, intake.remembered());
    }
  }
  // At most a window's worth (one a half hour over 24 hours, and the one just raised).
  EXPECT_LE(most, static_cast<size_t>(kPerDay + 1));
  EXPECT_GE(most, static_cast<size_t>(kPerDay - 1));
}

TEST_F(Intake, OrdinaryMessagesRaiseNothingAndBadMessagesAreErrorsWithoutTheirText) {
  AlertIntake intake(*assistant_, *map_);
  ASSERT_OK_AND_ASSIGN(std::optional<RaisedAlert> chat,
                       Raise(intake, Message("c-1", "今天小区门口的桂花开了，真香", kMorning)));
  EXPECT_FALSE(chat.has_value());
  EXPECT_THAT(Raise(intake, Message("g-1", kScam, kMorning, "no-such-grid")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("\"g-1\""), Not(HasSubstr("13800005678")))));
  EXPECT_THAT(Raise(intake, Message("", kScam, kMorning)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no id")));
}

}  // namespace
}  // namespace fengqiao::alert
