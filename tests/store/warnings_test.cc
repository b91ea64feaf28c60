// Three-colour warnings (三色预警) on open orders: the colour follows the share of the time left on
// the earliest unmet deadline, from the instruction that armed it; the store is queried by
// colour, department and area.
#include <string>
#include <vector>

#include "fengqiao/store/memory_case_store.h"
#include "fengqiao/store/warnings.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/cases.h"
#include "testing/sample_district.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::kOpenedAt;
using ::fengqiao::testing::StatusIs;

class Warnings : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(map_, GridMap::Parse(testing::TinyGridMapText(), "tiny.textproto"));
  }
  // A diverted matter for `department` in `grid`, assigned at kOpenedAt: its accept clock (60 s)
  // runs from the instruction.
  v1::Case Diverted(const std::string& id, const std::string& grid, v1::Department department) {
    v1::Incident incident;
    incident.set_id(id);
    incident.set_grid_code(grid);
    incident.set_kind(v1::INCIDENT_KIND_NON_POLICE);
    incident.set_responsible_department(department);
    incident.mutable_reported_at()->set_seconds(absl::ToUnixSeconds(kOpenedAt));
    CaseLoop loop = *CaseLoop::Open(incident, testing::RoutedTo(v1::TIER_DEPARTMENT_DIVERSION),
                                    kOpenedAt, "12345");
    v1::CaseEvent assign = MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, kOpenedAt, "dispatcher");
    assign.set_assignee("dept-1");
    EXPECT_OK(loop.Record(assign));
    return loop.proto();
  }
  std::shared_ptr<const GridMap> map_;
};

TEST_F(Warnings, TheColourFollowsTheShareOfTimeLeftAndOverdueIsRed) {
  const v1::Case c = Diverted("w", "g11", v1::DEPARTMENT_HOUSING_CONSTRUCTION);
  auto at = [&](int seconds) { return WarningOf(c, kOpenedAt + absl::Seconds(seconds))->colour; };
  EXPECT_EQ(at(30), v1::WARNING_COLOUR_GREEN);  // half left
  EXPECT_EQ(at(45), v1::WARNING_COLOUR_AMBER);  // a quarter left
  EXPECT_EQ(at(50), v1::WARNING_COLOUR_AMBER);  // a sixth left
  EXPECT_EQ(at(55), v1::WARNING_COLOUR_RED);    // a twelfth left
  EXPECT_EQ(at(61), v1::WARNING_COLOUR_RED);
  const OrderWarning late = *WarningOf(c, kOpenedAt + absl::Seconds(90));
  EXPECT_TRUE(late.overdue);
  EXPECT_EQ(late.deadline, "accept");
  EXPECT_EQ(late.holder, "dept-1");
  EXPECT_LT(late.share_left, 0);
  // Custom thresholds.
  WarningOptions strict;
  strict.amber_below = 0.6;
  strict.red_below = 0.4;
  EXPECT_EQ(WarningOf(c, kOpenedAt + absl::Seconds(30), strict)->colour, v1::WARNING_COLOUR_AMBER);
}

TEST_F(Warnings, EveryRedOrderOfADepartmentInAnAreaComesFromTheStore) {
  MemoryCaseStore store;
  const v1::Case a = Diverted("a", "g11", v1::DEPARTMENT_HOUSING_CONSTRUCTION);  // street s1
  const v1::Case b = Diverted("b", "g21", v1::DEPARTMENT_HOUSING_CONSTRUCTION);  // street s2
  const v1::Case c = Diverted("c", "g12", v1::DEPARTMENT_MARKET_REGULATION);     // street s1
  ASSERT_OK(store.Save({&a, &b, &c}, kOpenedAt));
  WarningQuery query;
  query.colour = v1::WARNING_COLOUR_RED;
  query.department = v1::DEPARTMENT_HOUSING_CONSTRUCTION;
  query.area_code = "s1";
  ASSERT_OK_AND_ASSIGN(std::vector<OrderWarning> red,
                       FindWarnings(store, *map_, kOpenedAt + absl::Minutes(5), query));
  ASSERT_EQ(red.size(), 1u);
  EXPECT_EQ(red[0].case_id, "a");
  ASSERT_OK_AND_ASSIGN(std::vector<OrderWarning> all,
                       FindWarnings(store, *map_, kOpenedAt + absl::Seconds(30)));
  EXPECT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].colour, v1::WARNING_COLOUR_GREEN);
  WarningQuery nowhere;
  nowhere.area_code = "nowhere";
  EXPECT_THAT(FindWarnings(store, *map_, kOpenedAt, nowhere),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("nowhere")));
  WarningOptions inverted;
  inverted.red_below = 0.5;
  EXPECT_THAT(FindWarnings(store, *map_, kOpenedAt, {}, inverted),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("red_below")));
}

// A paused order (挂起) keeps the colour it had when its clock stopped; after RESUME its due time
// has moved by the pause and the colour counts only the running time.
TEST_F(Warnings, APausedOrderKeepsItsColourAndResumeCountsOnlyTheRunningTime) {
  ASSERT_OK_AND_ASSIGN(CaseLoop loop, CaseLoop::Restore(Diverted("p", "g11", v1::DEPARTMENT_COMMUNITY)));
  v1::CaseEvent pause = MakeEvent(v1::CASE_EVENT_TYPE_PAUSE, kOpenedAt + absl::Seconds(30), "d");
  pause.set_reason("等待当事人 (waiting for the party)");
  ASSERT_OK(loop.Record(pause));
  const OrderWarning paused = *WarningOf(loop.proto(), kOpenedAt + absl::Hours(5));
  EXPECT_TRUE(paused.paused);
  EXPECT_FALSE(paused.overdue);
  EXPECT_EQ(paused.colour, v1::WARNING_COLOUR_GREEN);  // half left when it stopped
  EXPECT_DOUBLE_EQ(paused.share_left, 0.5);
  ASSERT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_RESUME, kOpenedAt + absl::Seconds(630), "d")));
  // Due 60 s + 600 s paused; at 645 s, 15 of the 60 running seconds are left: amber.
  const OrderWarning resumed = *WarningOf(loop.proto(), kOpenedAt + absl::Seconds(645));
  EXPECT_FALSE(resumed.paused);
  EXPECT_DOUBLE_EQ(resumed.share_left, 0.25);
  EXPECT_EQ(resumed.colour, v1::WARNING_COLOUR_AMBER);
}

TEST_F(Warnings, AClosedCaseHasNoWarning) {
  CaseLoop loop = testing::OpenCase("done");
  for (int i = 0; testing::Advance(loop, kOpenedAt + absl::Minutes(i + 1)); ++i) {
  }
  ASSERT_EQ(loop.proto().state(), v1::CASE_STATE_CLOSED);
  EXPECT_FALSE(WarningOf(loop.proto(), kOpenedAt + absl::Hours(1)).has_value());
}

}  // namespace
}  // namespace fengqiao
