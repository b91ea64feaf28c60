// What is on Monday's street meeting in 临城街道, and since when: the agenda read from the cases.
#include "fengqiao/closure/agenda.h"

#include <memory>
#include <string>
#include <vector>

#include "fengqiao/closure/case_loop.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::StatusIs;
using ::testing::HasSubstr;

const absl::Time kWednesday = absl::FromUnixSeconds(1791943200);  // 2026-10-14 10:00 +08
const absl::Time kMonday = kWednesday + absl::Hours(24 * 5 - 1);   // 10-19 09:00
const absl::Time kTuesday = kMonday + absl::Hours(24);

std::shared_ptr<const GridMap> Map() {
  static const auto* map = new std::shared_ptr<const GridMap>(
      *GridMap::Load(FENGQIAO_SOURCE_DIR "/examples/data/grid_map.textproto"));
  return *map;
}

// A community-police case in `grid` escalated to 大调解 `hours` after Wednesday's report.
v1::Case Escalated(const std::string& id, const std::string& grid, int hours) {
  v1::Incident incident;
  incident.set_id(id);
  incident.set_grid_code(grid);
  v1::Decision d;
  d.set_rule_id("rule");
  d.mutable_action()->set_tier(v1::TIER_COMMUNITY_POLICE);
  absl::StatusOr<CaseLoop> loop = CaseLoop::Open(incident, d, kWednesday, "110");
  EXPECT_OK(loop);
  v1::CaseEvent up = MakeEvent(v1::CASE_EVENT_TYPE_ESCALATE, kWednesday + absl::Hours(hours), "p");
  up.set_escalation_reason(v1::ESCALATION_REASON_PARTY_REQUEST);
  EXPECT_OK(loop->Record(up));
  return loop->proto();
}

TEST(Agenda, MondaysStreetMeetingListsTheStreetsEscalatedCasesLongestWaitingFirst) {
  std::vector<v1::Case> cases = {
      Escalated("late", "xc-lc-c1-g1", 30), Escalated("early", "xc-lc-c2-g1", 2),
      Escalated("other-street", "xc-qd-c1-g1", 1),
      Escalated("after-the-meeting", "xc-lc-c1-g1", 24 * 6)};  // Tuesday: the next Monday's
  ASSERT_OK_AND_ASSIGN(std::vector<AgendaItem> items,
                       ConsultationAgenda(cases, *Map(), v1::AREA_LEVEL_STREET, "xc-lc", kMonday));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].c->id(), "early");
  EXPECT_EQ(items[0].since, kWednesday + absl::Hours(2));
  EXPECT_EQ(items[0].scheduled_for, kMonday);
  EXPECT_EQ(items[1].c->id(), "late");
  // Nothing waits for the district yet.
  ASSERT_OK_AND_ASSIGN(items,
                       ConsultationAgenda(cases, *Map(), v1::AREA_LEVEL_DISTRICT, "xc", kTuesday));
  EXPECT_TRUE(items.empty());
}

TEST(Agenda, AMeetingThatRecordedNoOutcomeCarriesItsCasesOver) {
  std::vector<v1::Case> cases = {Escalated("c1", "xc-lc-c1-g1", 2)};
  ASSERT_OK_AND_ASSIGN(std::vector<AgendaItem> items,
                       ConsultationAgenda(cases, *Map(), v1::AREA_LEVEL_STREET, "xc-lc",
                                          kMonday + absl::Hours(24 * 7)));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].scheduled_for, kMonday);
}

TEST(Agenda, ACaseSentUpIsOnTheDistrictsTuesdayMeetingAndOffTheStreets) {
  v1::Case c = Escalated("c1", "xc-qd-c1-g1", 2);
  ASSERT_OK_AND_ASSIGN(CaseLoop loop, CaseLoop::Restore(c));
  v1::CaseEvent sent = MakeEvent(v1::CASE_EVENT_TYPE_CONSULT, kMonday + absl::Hours(1), "街道会商");
  sent.set_consultation_outcome(v1::CONSULTATION_OUTCOME_SENT_UP);
  ASSERT_OK(loop.Record(sent));
  std::vector<v1::Case> cases = {loop.proto()};
  ASSERT_OK_AND_ASSIGN(std::vector<AgendaItem> items,
                       ConsultationAgenda(cases, *Map(), v1::AREA_LEVEL_STREET, "xc-qd",
                                          kMonday + absl::Hours(24 * 7)));
  EXPECT_TRUE(items.empty());
  ASSERT_OK_AND_ASSIGN(items,
                       ConsultationAgenda(cases, *Map(), v1::AREA_LEVEL_DISTRICT, "xc", kTuesday));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].since, kMonday + absl::Hours(1));
}

TEST(Agenda, OnlyStreetsAndTheDistrictMeetAndTheAreaMustBeOneOfTheirs) {
  std::vector<v1::Case> cases;
  EXPECT_THAT(ConsultationAgenda(cases, *Map(), v1::AREA_LEVEL_COMMUNITY, "xc-lc-c1", kMonday),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("only the street")));
  EXPECT_THAT(ConsultationAgenda(cases, *Map(), v1::AREA_LEVEL_STREET, "no-such", kMonday),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no-such")));
  EXPECT_THAT(ConsultationAgenda(cases, *Map(), v1::AREA_LEVEL_STREET, "xc", kMonday),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a street")));
}

}  // namespace
}  // namespace fengqiao
