// 110 ↔ 12345 linkage and first-receiver responsibility (issue 18, points 7 and 4): one-click
// transfers at intake, a three-way call when ownership is unclear with the first receiver keeping
// the matter when the call cannot agree, 12345 pushing emergencies to 110 at any step, and a
// department's return only within its window (首接负责).
#include <memory>
#include <string>

#include "absl/time/civil_time.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/closure/work_order_policy.h"
#include "fengqiao/mediation/working_calendar.h"
#include "fengqiao/time_zone.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::StatusIs;
using ::testing::HasSubstr;

absl::Time Local(int m, int d, int h, int min = 0) {
  return absl::FromCivil(absl::CivilMinute(2026, m, d, h, min), ChinaTimeZone());
}

// A matter reported on `channel` at `at`, triaged by the receiving platform's rule.
CaseLoop Received(v1::Channel channel, absl::Time at, v1::Tier tier, CaseLoopOptions options = {}) {
  v1::Incident incident;
  incident.set_id("l1");
  incident.set_channel(channel);
  v1::Decision d;
  d.set_rule_id("intake");
  d.mutable_action()->set_tier(tier);
  d.mutable_action()->mutable_sla()->mutable_accept()->set_seconds(3600);
  d.mutable_action()->mutable_sla()->mutable_resolve()->set_seconds(5 * 86400);
  absl::StatusOr<CaseLoop> loop = CaseLoop::Open(incident, d, at, "desk", std::move(options));
  EXPECT_OK(loop);
  return *std::move(loop);
}

v1::CaseEvent Transfer(absl::Time at, v1::Platform to, v1::LinkageMode how) {
  v1::CaseEvent e = MakeEvent(v1::CASE_EVENT_TYPE_TRANSFER_PLATFORM, at, "desk");
  e.set_platform(to);
  e.set_linkage(how);
  return e;
}

v1::CaseEvent Call(absl::Time at, v1::Platform agreed) {
  v1::CaseEvent e = MakeEvent(v1::CASE_EVENT_TYPE_THREE_WAY_CALL, at, "desk");
  e.set_platform(agreed);
  return e;
}

TEST(Linkage, A110CallThatIsNotPoliceWorkGoesTo12345InOneClickAnd12345TriagesIt) {
  // 车没油了 / 钥匙锁屋里: a 非警务 matter at 110's desk, passed on at intake.
  CaseLoop loop = Received(v1::CHANNEL_CALL_110, Local(10, 14, 9), v1::TIER_DEPARTMENT_DIVERSION);
  EXPECT_EQ(loop.proto().platform(), v1::PLATFORM_110);
  EXPECT_EQ(loop.proto().first_platform(), v1::PLATFORM_110);
  ASSERT_OK(
      loop.Record(Transfer(Local(10, 14, 9, 2), v1::PLATFORM_12345, v1::LINKAGE_MODE_ONE_CLICK)));
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_REPORTED);
  EXPECT_EQ(loop.proto().platform(), v1::PLATFORM_12345);
  EXPECT_EQ(loop.proto().first_platform(), v1::PLATFORM_110);  // 首接 stays recorded
  // 12345 triages and gives it to the department; that department's clocks run.
  v1::CaseEvent triage = MakeEvent(v1::CASE_EVENT_TYPE_TRIAGE, Local(10, 14, 9, 5), "12345");
  triage.set_tier(v1::TIER_DEPARTMENT_DIVERSION);
  ASSERT_OK(loop.Record(triage));
  v1::CaseEvent assign = MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, Local(10, 14, 9, 6), "12345");
  assign.set_department(v1::DEPARTMENT_CITY_MANAGEMENT);
  ASSERT_OK(loop.Record(assign));
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_ASSIGNED);
  // Transferring it back to where it is now is refused.
  EXPECT_THAT(
      loop.Record(Transfer(Local(10, 14, 10), v1::PLATFORM_12345, v1::LINKAGE_MODE_EMERGENCY_PUSH)),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already with")));
  // The log replays to the same case, and the store's in-place check agrees.
  ASSERT_OK_AND_ASSIGN(CaseLoop replayed, CaseLoop::Restore(loop.proto()));
  EXPECT_EQ(replayed.proto().SerializeAsString(), loop.proto().SerializeAsString());
  ASSERT_OK_AND_ASSIGN(LoopState in_place, CaseLoop::ReplayState(loop.proto(), nullptr));
  EXPECT_EQ(in_place, loop.state());
}

TEST(Linkage, AMatterBeingHandledIsNotTransferredButAnEmergencyIsPushedTo110AtAnyStep) {
  CaseLoop loop =
      Received(v1::CHANNEL_HOTLINE_12345, Local(10, 14, 9), v1::TIER_DEPARTMENT_DIVERSION);
  v1::CaseEvent assign = MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, Local(10, 14, 9, 10), "12345");
  assign.set_department(v1::DEPARTMENT_HOUSING_CONSTRUCTION);
  ASSERT_OK(loop.Record(assign));
  ASSERT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_ACCEPT, Local(10, 14, 9, 40), "住建")));
  EXPECT_THAT(
      loop.Record(Transfer(Local(10, 14, 11), v1::PLATFORM_110, v1::LINKAGE_MODE_ONE_CLICK)),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("being handled")));
  // The department finds the party threatening violence: 12345 pushes it to 110 at once.
  ASSERT_OK(
      loop.Record(Transfer(Local(10, 14, 11), v1::PLATFORM_110, v1::LINKAGE_MODE_EMERGENCY_PUSH)));
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_REPORTED);
  EXPECT_EQ(loop.proto().platform(), v1::PLATFORM_110);
  // The department's clocks stopped at the hand-over: none runs until 110 dispatches.
  EXPECT_EQ(loop.proto().deadlines_size(), 0);
  ASSERT_GT(loop.proto().closed_deadlines_size(), 0);
  for (const v1::Deadline& d : loop.proto().closed_deadlines()) {
    if (d.met()) continue;  // the sign-off was met at 09:40
    EXPECT_EQ(d.closed_at().seconds(), absl::ToUnixSeconds(Local(10, 14, 11))) << d.name();
    EXPECT_FALSE(d.breached()) << d.name();
  }
  // 110 does not "push" to 12345: an emergency push goes one way only.
  EXPECT_THAT(
      loop.Record(Transfer(Local(10, 14, 12), v1::PLATFORM_12345, v1::LINKAGE_MODE_EMERGENCY_PUSH)),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not the other way")));
}

TEST(Linkage, WhenOwnershipIsUnclearAThreeWayCallDecidesAndTheFirstReceiverKeepsItOtherwise) {
  // 职责交叉: the call cannot agree, so 110 (which received it first) handles it meanwhile.
  CaseLoop kept = Received(v1::CHANNEL_CALL_110, Local(10, 14, 9), v1::TIER_COMMUNITY_POLICE);
  ASSERT_OK(kept.Record(Call(Local(10, 14, 9, 3), v1::PLATFORM_UNSPECIFIED)));
  EXPECT_EQ(kept.state().state, v1::CASE_STATE_TRIAGED);
  for (v1::LinkageMode how : {v1::LINKAGE_MODE_ONE_CLICK, v1::LINKAGE_MODE_AFTER_CALL}) {
    EXPECT_THAT(kept.Record(Transfer(Local(10, 14, 9, 5), v1::PLATFORM_12345, how)),
                StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("首接负责")));
  }
  EXPECT_EQ(kept.proto().platform(), v1::PLATFORM_110);

  // The call agrees that 12345 takes it: the transfer follows the call.
  CaseLoop agreed = Received(v1::CHANNEL_CALL_110, Local(10, 14, 9), v1::TIER_COMMUNITY_POLICE);
  EXPECT_THAT(
      agreed.Record(Transfer(Local(10, 14, 9, 2), v1::PLATFORM_12345, v1::LINKAGE_MODE_AFTER_CALL)),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("follows a THREE_WAY_CALL")));
  ASSERT_OK(agreed.Record(Call(Local(10, 14, 9, 3), v1::PLATFORM_12345)));
  ASSERT_OK(agreed.Record(
      Transfer(Local(10, 14, 9, 5), v1::PLATFORM_12345, v1::LINKAGE_MODE_AFTER_CALL)));
  EXPECT_EQ(agreed.proto().platform(), v1::PLATFORM_12345);

  // A call that agreed 110 keeps it: no transfer to 12345.
  CaseLoop stays = Received(v1::CHANNEL_CALL_110, Local(10, 14, 9), v1::TIER_COMMUNITY_POLICE);
  ASSERT_OK(stays.Record(Call(Local(10, 14, 9, 3), v1::PLATFORM_110)));
  EXPECT_THAT(
      stays.Record(Transfer(Local(10, 14, 9, 5), v1::PLATFORM_12345, v1::LINKAGE_MODE_ONE_CLICK)),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("agreed that")));
}

TEST(Linkage, ATransferNamesAKnownPlatformAndHowAndOnlyHotlineMattersMove) {
  CaseLoop loop = Received(v1::CHANNEL_CALL_110, Local(10, 14, 9), v1::TIER_COMMUNITY_POLICE);
  EXPECT_THAT(loop.Record(Transfer(Local(10, 14, 9, 1), v1::PLATFORM_UNSPECIFIED,
                                   v1::LINKAGE_MODE_ONE_CLICK)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("receiving platform")));
  EXPECT_THAT(loop.Record(Transfer(Local(10, 14, 9, 1), static_cast<v1::Platform>(7),
                                   v1::LINKAGE_MODE_ONE_CLICK)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not 7")));
  EXPECT_THAT(loop.Record(Transfer(Local(10, 14, 9, 1), v1::PLATFORM_12345,
                                   static_cast<v1::LinkageMode>(9))),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("says how")));
  EXPECT_THAT(
      loop.Record(Transfer(Local(10, 14, 9, 1), v1::PLATFORM_12345, v1::LINKAGE_MODE_UNSPECIFIED)),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("says how")));
  EXPECT_THAT(loop.Record(Call(Local(10, 14, 9, 1), static_cast<v1::Platform>(-1))),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("platform")));
  // A grid worker's find reached no hotline: it is not transferred between them.
  CaseLoop found = Received(v1::CHANNEL_GRID_PATROL, Local(10, 14, 9), v1::TIER_MEDIATOR);
  EXPECT_EQ(found.proto().platform(), v1::PLATFORM_UNSPECIFIED);
  EXPECT_THAT(
      found.Record(Transfer(Local(10, 14, 9, 1), v1::PLATFORM_12345, v1::LINKAGE_MODE_ONE_CLICK)),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no hotline")));
  EXPECT_THAT(found.Record(Call(Local(10, 14, 9, 1), v1::PLATFORM_110)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no hotline")));
  // A refused event leaves the case as it was.
  EXPECT_EQ(loop.proto().events_size(), 2);
  EXPECT_EQ(found.proto().events_size(), 2);
}

CaseLoopOptions OneWorkingDayToReturn() {
  CaseLoopOptions options;
  options.working_calendar =
      *WorkingCalendar::Load(FENGQIAO_SOURCE_DIR "/examples/data/calendar/holidays.textproto");
  options.return_within_working_days = 1;
  return options;
}

CaseLoop DivertedToHousing(absl::Time at, CaseLoopOptions options) {
  CaseLoop loop =
      Received(v1::CHANNEL_HOTLINE_12345, at, v1::TIER_DEPARTMENT_DIVERSION, std::move(options));
  v1::CaseEvent assign = MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, at, "12345");
  assign.set_department(v1::DEPARTMENT_HOUSING_CONSTRUCTION);
  EXPECT_OK(loop.Record(assign));
  return loop;
}

v1::CaseEvent ReturnAt(absl::Time at) {
  v1::CaseEvent e = MakeEvent(v1::CASE_EVENT_TYPE_RETURN, at, "住建");
  e.set_refused_by(v1::DEPARTMENT_HOUSING_CONSTRUCTION);
  e.set_should_go_to(v1::DEPARTMENT_CITY_MANAGEMENT);
  e.set_reason("占道经营属城管职责 (the basis: street vending is city management's)");
  return e;
}

TEST(FirstReceiver, ADepartmentReturnsWithinOneWorkingDayOrTheMatterIsItsOwn) {
  // Given on Wed 09-30 10:00, the eve of 国庆: one working day runs to Thu 10-08 10:00.
  CaseLoop in_time = DivertedToHousing(Local(9, 30, 10), OneWorkingDayToReturn());
  ASSERT_OK(in_time.Record(ReturnAt(Local(10, 8, 9, 30))));
  EXPECT_EQ(in_time.state().state, v1::CASE_STATE_RETURNED);

  CaseLoop late = DivertedToHousing(Local(9, 30, 10), OneWorkingDayToReturn());
  EXPECT_THAT(late.Record(ReturnAt(Local(10, 8, 10, 30))),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("首接负责: a department returns a matter within 1 working day")));
  EXPECT_EQ(late.state().state, v1::CASE_STATE_ASSIGNED);
  // The window runs from the instruction that gave the holder the case: a redo's is new.
  // Without the rule (the default), a late return is the command room's to review.
  CaseLoop unlimited = DivertedToHousing(Local(9, 30, 10), CaseLoopOptions{});
  ASSERT_OK(unlimited.Record(ReturnAt(Local(10, 20, 10))));
}

TEST(FirstReceiver, TheReturnWindowComesFromTheDistrictsPolicyFileWithinItsRange) {
  ASSERT_OK_AND_ASSIGN(v1::WorkOrderPolicy policy,
                       ParseWorkOrderPolicy("return_within_working_days: 1\n", "p.textproto"));
  EXPECT_EQ(WithWorkOrderPolicy({}, policy).return_within_working_days, 1);
  EXPECT_THAT(ParseWorkOrderPolicy("\nreturn_within_working_days: 61\n", "p.textproto"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("p.textproto:2:1: return_within_working_days")));
  EXPECT_THAT(ParseWorkOrderPolicy("return_within_working_days: -1\n", "p.textproto"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("p.textproto:1:1")));
}

}  // namespace
}  // namespace fengqiao
