// The case as a supervised work order (issue 18 points 1 and 2): clocks counted in working days
// on the official calendar, pauses (挂起) that stop every clock, extensions (延期) asked within
// caps and granted by the centre with the party told, and supervision (督办) that climbs from a
// reminder to a notice, a circular and the next supervising body.
#include <memory>
#include <string>

#include "absl/time/civil_time.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/mediation/working_calendar.h"
#include "fengqiao/time_zone.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

absl::Time Local(int m, int d, int h, int min = 0) {
  return absl::FromCivil(absl::CivilMinute(2026, m, d, h, min), ChinaTimeZone());
}

std::string Shown(const google::protobuf::Timestamp& t) {
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixSeconds(t.seconds()), ChinaTimeZone());
}

std::shared_ptr<const WorkingCalendar> Holidays() {
  static const auto* calendar = new std::shared_ptr<const WorkingCalendar>(
      *WorkingCalendar::Load(FENGQIAO_SOURCE_DIR "/examples/data/calendar/holidays.textproto"));
  return *calendar;
}

// A matter diverted to 住建 with `working_days` to resolve, reported and assigned at `at`.
CaseLoop Diverted(absl::Time at, int working_days, CaseLoopOptions options = {}) {
  v1::Incident incident;
  incident.set_id("w1");
  v1::Decision d;
  d.set_rule_id("divert-housing");
  d.mutable_action()->set_tier(v1::TIER_DEPARTMENT_DIVERSION);
  d.mutable_action()->mutable_sla()->mutable_accept()->set_seconds(2 * 3600);  // 签收
  d.mutable_action()->mutable_sla()->set_resolve_working_days(working_days);
  absl::StatusOr<CaseLoop> loop = CaseLoop::Open(incident, d, at, "12345", std::move(options));
  EXPECT_OK(loop);
  v1::CaseEvent assign = MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, at, "centre");
  assign.set_department(v1::DEPARTMENT_HOUSING_CONSTRUCTION);
  EXPECT_OK(loop->Record(assign));
  return *std::move(loop);
}

const v1::Deadline& Clock(const CaseLoop& loop, const std::string& name) {
  for (const v1::Deadline& d : loop.proto().deadlines()) {
    if (d.name() == name) return d;
  }
  static const v1::Deadline none;
  ADD_FAILURE() << "no clock " << name;
  return none;
}

CaseLoopOptions WithHolidays() {
  CaseLoopOptions options;
  options.working_calendar = Holidays();
  return options;
}

TEST(WorkingDays, AGeneralMatterHasFiveWorkingDaysOnTheOfficialCalendar) {
  // Assigned Wed 2026-09-30 10:00: 10-01..07 are 国庆 holidays, Sat 10-10 a make-up workday.
  CaseLoop loop = Diverted(Local(9, 30, 10), 5, WithHolidays());
  EXPECT_EQ(Shown(Clock(loop, "resolve").due()), "2026-10-13 10:00");
  EXPECT_EQ(Clock(loop, "resolve").working_days(), 5);
  // The sign-off (签收) clock is its own, in wall-clock hours.
  EXPECT_EQ(Shown(Clock(loop, "accept").due()), "2026-09-30 12:00");
  // Without the schedule: Monday to Friday.
  EXPECT_EQ(Shown(Clock(Diverted(Local(9, 30, 10), 5), "resolve").due()), "2026-10-07 10:00");
}

TEST(WorkingDays, AnOrderGivenOnARestDayCountsFromTheNextWorkingDay) {
  // Saturday 10-17 15:00: the clock starts on Monday 10-19; one working day ends Monday night.
  CaseLoop loop = Diverted(Local(10, 17, 15), 1, WithHolidays());
  EXPECT_EQ(Shown(Clock(loop, "resolve").due()), "2026-10-20 00:00");
}

TEST(Pauses, APauseStopsEveryClockAndResumeMovesThemByThePause) {
  CaseLoop loop = Diverted(Local(10, 14, 10), 5, WithHolidays());  // Wed; due Wed 10-21 10:00
  ASSERT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_ACCEPT, Local(10, 14, 11), "住建")));
  EXPECT_THAT(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_PAUSE, Local(10, 15, 9), "住建")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("needs a reason")));
  v1::CaseEvent pause = MakeEvent(v1::CASE_EVENT_TYPE_PAUSE, Local(10, 15, 9), "住建");
  pause.set_reason("等待当事人提供房屋鉴定报告 (waiting for the party's survey report)");
  ASSERT_OK(loop.Record(pause));
  // Paused: nothing falls due, nothing breaches, only RESUME (or cancel) is taken.
  EXPECT_THAT(loop.Overdue(Local(10, 30, 0)), IsEmpty());
  ASSERT_OK_AND_ASSIGN(int breaches, loop.RecordBreaches(Local(10, 30, 0)));
  EXPECT_EQ(breaches, 0);
  EXPECT_THAT(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_CONTACT, Local(10, 16, 9), "住建")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("paused (挂起)")));
  EXPECT_THAT(loop.Record(pause),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("paused (挂起)")));
  // Resumed on Monday 10-19 09:00: Thu, Fri (two working days) stood still.
  ASSERT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_RESUME, Local(10, 19, 9), "住建")));
  EXPECT_EQ(Shown(Clock(loop, "resolve").due()), "2026-10-23 10:00");
  EXPECT_EQ(absl::ToInt64Hours(absl::Seconds(Clock(loop, "resolve").paused().seconds())), 96);
  EXPECT_THAT(loop.Overdue(Local(10, 22, 0)), IsEmpty());
  EXPECT_EQ(loop.Overdue(Local(10, 23, 11)).size(), 1u);
  EXPECT_THAT(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_RESUME, Local(10, 19, 10), "住建")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not paused")));
  // The replay agrees.
  ASSERT_OK_AND_ASSIGN(CaseLoop replayed, CaseLoop::Restore(loop.proto(), WithHolidays()));
  EXPECT_EQ(replayed.proto().SerializeAsString(), loop.proto().SerializeAsString());
}

TEST(Pauses, AWallClockMovesByThePausedTime) {
  v1::Incident incident;
  incident.set_id("p1");
  v1::Decision d;
  d.set_rule_id("dispute");
  d.mutable_action()->set_tier(v1::TIER_COMMUNITY_POLICE);
  d.mutable_action()->mutable_sla()->mutable_resolve()->set_seconds(3 * 86400);
  const absl::Time t0 = Local(10, 14, 10);
  ASSERT_OK_AND_ASSIGN(CaseLoop loop, CaseLoop::Open(incident, d, t0, "110"));
  v1::CaseEvent assign = MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, t0, "desk");
  assign.set_assignee("p-1");
  ASSERT_OK(loop.Record(assign));
  v1::CaseEvent pause = MakeEvent(v1::CASE_EVENT_TYPE_PAUSE, t0 + absl::Hours(1), "p-1");
  pause.set_reason("开庭日期未定 (the court date is not set)");
  ASSERT_OK(loop.Record(pause));
  ASSERT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_RESUME, t0 + absl::Hours(31), "p-1")));
  EXPECT_EQ(Clock(loop, "resolve").due().seconds(), absl::ToUnixSeconds(t0 + absl::Hours(72 + 30)));
}

v1::CaseEvent Ask(absl::Time at, int days) {
  v1::CaseEvent e = MakeEvent(v1::CASE_EVENT_TYPE_REQUEST_EXTENSION, at, "住建");
  e.set_reason("需协调产权单位 (the owner must be brought in)");
  e.set_extension_working_days(days);
  return e;
}

v1::CaseEvent Grant(absl::Time at) {
  v1::CaseEvent e = MakeEvent(v1::CASE_EVENT_TYPE_APPROVE_EXTENSION, at, "centre");
  e.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
  e.set_party_notified(true);
  return e;
}

TEST(Extensions, AskedWithinTheCapsGrantedByTheCentreWithThePartyTold) {
  CaseLoop loop = Diverted(Local(10, 14, 10), 5, WithHolidays());  // due Wed 10-21 10:00
  EXPECT_THAT(loop.Record(Ask(Local(10, 19, 9), 4)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("1 to 3 working days")));
  ASSERT_OK(loop.Record(Ask(Local(10, 19, 9), 2)));
  EXPECT_THAT(loop.Record(Ask(Local(10, 19, 9), 1)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already pending")));
  v1::CaseEvent by_department = Grant(Local(10, 19, 10));
  by_department.set_actor_role(v1::ACTOR_ROLE_DEPARTMENT);
  EXPECT_THAT(loop.Record(by_department),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("command room")));
  v1::CaseEvent untold = Grant(Local(10, 19, 10));
  untold.set_party_notified(false);
  EXPECT_THAT(loop.Record(untold),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("party_notified")));
  v1::CaseEvent more = Grant(Local(10, 19, 10));
  more.set_extension_working_days(3);
  EXPECT_THAT(loop.Record(more),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at most the 2")));
  ASSERT_OK(loop.Record(Grant(Local(10, 19, 10))));
  EXPECT_EQ(Shown(Clock(loop, "resolve").due()), "2026-10-23 10:00");
  EXPECT_EQ(Clock(loop, "resolve").working_days(), 7);
  EXPECT_EQ(loop.proto().events().rbegin()->extension_working_days(), 2);  // filled in
  EXPECT_EQ(loop.state().extensions, 1);
  // A refusal needs its reason; two more grants reach the cap of three.
  ASSERT_OK(loop.Record(Ask(Local(10, 20, 9), 1)));
  v1::CaseEvent refuse = MakeEvent(v1::CASE_EVENT_TYPE_REJECT_EXTENSION, Local(10, 20, 10), "c");
  refuse.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
  EXPECT_THAT(loop.Record(refuse),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("needs a reason")));
  refuse.set_reason("理由不充分 (not reason enough)");
  ASSERT_OK(loop.Record(refuse));
  EXPECT_THAT(loop.Record(Grant(Local(10, 20, 11))),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("none is pending")));
  for (int day : {21, 22}) {
    ASSERT_OK(loop.Record(Ask(Local(10, day, 9), 1)));
    ASSERT_OK(loop.Record(Grant(Local(10, day, 10))));
  }
  EXPECT_THAT(loop.Record(Ask(Local(10, 23, 9), 1)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("its 3 extensions")));
  ASSERT_OK_AND_ASSIGN(CaseLoop replayed, CaseLoop::Restore(loop.proto(), WithHolidays()));
  EXPECT_EQ(replayed.proto().SerializeAsString(), loop.proto().SerializeAsString());
}

TEST(Extensions, TheCapsAreConfigured) {
  CaseLoopOptions options = WithHolidays();
  options.max_extensions = 1;
  options.max_extension_working_days = 5;
  CaseLoop loop = Diverted(Local(10, 14, 10), 5, options);
  ASSERT_OK(loop.Record(Ask(Local(10, 15, 9), 5)));
  ASSERT_OK(loop.Record(Grant(Local(10, 15, 10))));
  EXPECT_THAT(loop.Record(Ask(Local(10, 16, 9), 1)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("its 1 extensions")));
}

// A step of supervision by the centre (指挥中心) at `at`.
v1::CaseEvent Urge(v1::SupervisionStep step, absl::Time at) {
  v1::CaseEvent e = MakeEvent(v1::CASE_EVENT_TYPE_SUPERVISE, at, "centre");
  e.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
  e.set_supervision_step(step);
  return e;
}

TEST(Supervision, ReminderBeforeTheDueDateNoticeAfterItCircularFiveWorkingDaysLater) {
  CaseLoop loop = Diverted(Local(11, 2, 10), 5, WithHolidays());  // Mon; due Mon 11-09 10:00
  ASSERT_OK(loop.Record(Urge(v1::SUPERVISION_STEP_REMINDER, Local(11, 6, 9))));
  EXPECT_EQ(loop.proto().supervision().reminders(), 1);
  EXPECT_EQ(loop.proto().supervision().body(), "区社会治理中心");
  EXPECT_EQ(loop.proto().events().rbegin()->supervisor(), "区社会治理中心");
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_ASSIGNED);  // 督办 does not move the order
  EXPECT_THAT(loop.Record(Urge(v1::SUPERVISION_STEP_NOTICE, Local(11, 6, 10))),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("on or after the due date (2026-11-09)")));
  EXPECT_THAT(loop.Record(Urge(v1::SUPERVISION_STEP_REMINDER, Local(11, 9, 10))),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("before the due date")));
  ASSERT_OK(loop.Record(Urge(v1::SUPERVISION_STEP_NOTICE, Local(11, 10, 9))));
  // The circular (通报) at +5 working days: 11-10, 11, 12, 13, 16.
  EXPECT_THAT(loop.Record(Urge(v1::SUPERVISION_STEP_CIRCULAR, Local(11, 13, 17))),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("from 2026-11-16")));
  ASSERT_OK(loop.Record(Urge(v1::SUPERVISION_STEP_CIRCULAR, Local(11, 16, 10))));
  const v1::Supervision& s = loop.proto().supervision();
  EXPECT_EQ(s.notices(), 1);
  EXPECT_EQ(s.circulars(), 1);
  EXPECT_EQ(s.rounds(), 2);
  EXPECT_EQ(Shown(s.last_at()), "2026-11-16 10:00");
  ASSERT_OK_AND_ASSIGN(CaseLoop replayed, CaseLoop::Restore(loop.proto(), WithHolidays()));
  EXPECT_EQ(replayed.proto().SerializeAsString(), loop.proto().SerializeAsString());
}

TEST(Supervision, ClimbsToTheNextBodyAfterTwoRoundsAndNoHigherThanTheLast) {
  CaseLoop loop = Diverted(Local(11, 2, 10), 5, WithHolidays());
  ASSERT_OK(loop.Record(Urge(v1::SUPERVISION_STEP_NOTICE, Local(11, 10, 9))));
  EXPECT_THAT(loop.Record(Urge(v1::SUPERVISION_STEP_ESCALATED, Local(11, 10, 10))),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("follows 2 rounds of notices and circulars")));
  ASSERT_OK(loop.Record(Urge(v1::SUPERVISION_STEP_CIRCULAR, Local(11, 16, 10))));
  ASSERT_OK(loop.Record(Urge(v1::SUPERVISION_STEP_ESCALATED, Local(11, 16, 11))));
  EXPECT_EQ(loop.proto().supervision().body(), "区政府办公室");
  EXPECT_EQ(loop.proto().supervision().level(), 1);
  EXPECT_EQ(loop.proto().supervision().rounds(), 0);
  // The government office's own two rounds before the inspection office takes it.
  EXPECT_THAT(loop.Record(Urge(v1::SUPERVISION_STEP_ESCALATED, Local(11, 16, 12))),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("has had 0")));
  ASSERT_OK(loop.Record(Urge(v1::SUPERVISION_STEP_NOTICE, Local(11, 17, 9))));
  EXPECT_EQ(loop.proto().events().rbegin()->supervisor(), "区政府办公室");
  ASSERT_OK(loop.Record(Urge(v1::SUPERVISION_STEP_NOTICE, Local(11, 18, 9))));
  ASSERT_OK(loop.Record(Urge(v1::SUPERVISION_STEP_ESCALATED, Local(11, 18, 10))));
  EXPECT_EQ(loop.proto().supervision().body(), "区委区政府督查室");
  ASSERT_OK(loop.Record(Urge(v1::SUPERVISION_STEP_NOTICE, Local(11, 19, 9))));
  ASSERT_OK(loop.Record(Urge(v1::SUPERVISION_STEP_NOTICE, Local(11, 20, 9))));
  EXPECT_THAT(loop.Record(Urge(v1::SUPERVISION_STEP_ESCALATED, Local(11, 20, 10))),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("last body")));
}

TEST(Supervision, OnlyTheCommandRoomUrgesARunningOrderWithANamedStep) {
  CaseLoop loop = Diverted(Local(11, 2, 10), 5, WithHolidays());
  v1::CaseEvent by_handler = Urge(v1::SUPERVISION_STEP_REMINDER, Local(11, 3, 9));
  by_handler.set_actor_role(v1::ACTOR_ROLE_HANDLER);
  EXPECT_THAT(loop.Record(by_handler),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("command room")));
  EXPECT_THAT(loop.Record(Urge(v1::SUPERVISION_STEP_UNSPECIFIED, Local(11, 3, 9))),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("names its step")));
  EXPECT_THAT(loop.Record(Urge(static_cast<v1::SupervisionStep>(99), Local(11, 3, 9))),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("names its step")));
  // A paused order's clock stands still: nothing to urge until it runs again.
  v1::CaseEvent pause = MakeEvent(v1::CASE_EVENT_TYPE_PAUSE, Local(11, 3, 10), "住建");
  pause.set_reason("等待法院开庭 (a court date)");
  ASSERT_OK(loop.Record(pause));
  EXPECT_THAT(loop.Record(Urge(v1::SUPERVISION_STEP_REMINDER, Local(11, 3, 11))),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("paused (挂起)")));
  // An order without a resolve deadline has nothing to be urged against.
  CaseLoop open_ended = Diverted(Local(11, 2, 10), 0);
  EXPECT_THAT(
      open_ended.Record(Urge(v1::SUPERVISION_STEP_REMINDER, Local(11, 3, 9))),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no running resolve deadline")));
}

TEST(Supervision, AHandOverStartsANewOrderAndTheRulesAreConfigured) {
  CaseLoopOptions options = WithHolidays();
  options.circular_after_working_days = 2;
  options.supervision_after_rounds = 1;
  options.supervision_bodies = {"街道综治中心", "街道党工委"};
  CaseLoop loop = Diverted(Local(11, 2, 10), 5, options);
  ASSERT_OK(loop.Record(Urge(v1::SUPERVISION_STEP_NOTICE, Local(11, 9, 11))));
  EXPECT_EQ(loop.proto().supervision().body(), "街道综治中心");
  ASSERT_OK(loop.Record(Urge(v1::SUPERVISION_STEP_CIRCULAR, Local(11, 11, 10))));  // +2 days
  ASSERT_OK(loop.Record(Urge(v1::SUPERVISION_STEP_ESCALATED, Local(11, 11, 11))));
  EXPECT_EQ(loop.proto().supervision().body(), "街道党工委");
  // 住建 returns the order and the command room sends it to 城管: a new order, supervised anew.
  v1::CaseEvent ret = MakeEvent(v1::CASE_EVENT_TYPE_RETURN, Local(11, 11, 14), "住建");
  ret.set_reason("不属于本部门职责 (not this department's duty)");
  ret.set_refused_by(v1::DEPARTMENT_HOUSING_CONSTRUCTION);
  ret.set_should_go_to(v1::DEPARTMENT_CITY_MANAGEMENT);
  ASSERT_OK(loop.Record(ret));
  v1::CaseEvent approve =
      MakeEvent(v1::CASE_EVENT_TYPE_APPROVE_RETURN, Local(11, 11, 15), "centre");
  approve.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
  approve.mutable_sla()->set_resolve_working_days(5);
  ASSERT_OK(loop.Record(approve));
  EXPECT_FALSE(loop.proto().has_supervision());
  ASSERT_OK(loop.Record(Urge(v1::SUPERVISION_STEP_REMINDER, Local(11, 12, 9))));
  EXPECT_EQ(loop.proto().supervision().body(), "街道综治中心");
  EXPECT_EQ(loop.proto().supervision().level(), 0);
  ASSERT_OK_AND_ASSIGN(CaseLoop replayed, CaseLoop::Restore(loop.proto(), options));
  EXPECT_EQ(replayed.proto().SerializeAsString(), loop.proto().SerializeAsString());
}

// The holder handles the order through to a resolution, then the revisit asks the party.
void HandleAndRevisit(CaseLoop& loop, absl::Time at, bool satisfied) {
  const std::string holder = loop.proto().assignee();
  ASSERT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_ACCEPT, at, holder)));
  ASSERT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_CONTACT, at + absl::Hours(1), holder)));
  ASSERT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_RESOLVE, at + absl::Hours(20), holder)));
  v1::CaseEvent revisit = MakeEvent(v1::CASE_EVENT_TYPE_REVISIT, at + absl::Hours(44), "回访员");
  revisit.set_satisfied(satisfied);
  ASSERT_OK(loop.Record(revisit));
}

TEST(Revisits, DissatisfactionSendsTheOrderBackForRedoAndASecondOneIsSupervised) {
  CaseLoopOptions options = WithHolidays();
  options.redo_on_dissatisfaction = true;
  CaseLoop loop = Diverted(Local(11, 2, 10), 5, options);
  const std::string holder = loop.proto().assignee();
  HandleAndRevisit(loop, Local(11, 2, 11), /*satisfied=*/false);
  // 回访不满意，自动重办: back to 住建 at once, with new clocks.
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_ASSIGNED);
  EXPECT_EQ(loop.proto().assignee(), holder);
  EXPECT_EQ(loop.proto().department(), v1::DEPARTMENT_HOUSING_CONSTRUCTION);
  const auto& events = loop.proto().events();
  ASSERT_GE(events.size(), 3);
  EXPECT_EQ(events[events.size() - 3].type(), v1::CASE_EVENT_TYPE_REVISIT);
  EXPECT_EQ(events[events.size() - 2].type(), v1::CASE_EVENT_TYPE_REOPEN);
  EXPECT_EQ(events[events.size() - 1].type(), v1::CASE_EVENT_TYPE_ASSIGN);
  EXPECT_EQ(Shown(Clock(loop, "resolve").armed_at()), "2026-11-04 07:00");
  EXPECT_FALSE(loop.proto().has_supervision());
  // The second dissatisfaction: the redo starts under the government office (提级督办).
  HandleAndRevisit(loop, Local(11, 5, 9), /*satisfied=*/false);
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_ASSIGNED);
  EXPECT_EQ(loop.proto().supervision().level(), 1);
  EXPECT_EQ(loop.proto().supervision().body(), "区政府办公室");
  // Satisfied the third time: the case waits for the centre to close it.
  HandleAndRevisit(loop, Local(11, 9, 9), /*satisfied=*/true);
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_REVISITED);
  ASSERT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_CLOSE, Local(11, 11, 10), "centre")));
  ASSERT_OK_AND_ASSIGN(CaseLoop replayed, CaseLoop::Restore(loop.proto(), options));
  EXPECT_EQ(replayed.proto().SerializeAsString(), loop.proto().SerializeAsString());
}

TEST(Revisits, WithoutTheRuleTheCentreDecidesAndAnInstructionCarriesNoOtherStep) {
  CaseLoop loop = Diverted(Local(11, 2, 10), 5, WithHolidays());
  HandleAndRevisit(loop, Local(11, 2, 11), /*satisfied=*/false);
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_REVISITED);
  v1::CaseEvent reopen = MakeEvent(v1::CASE_EVENT_TYPE_REOPEN, Local(11, 4, 9), "centre");
  reopen.set_reason("当事人不满意");
  ASSERT_OK(loop.Record(reopen));
  v1::CaseEvent assign = MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, Local(11, 4, 10), "centre");
  assign.set_department(v1::DEPARTMENT_HOUSING_CONSTRUCTION);
  assign.set_supervision_step(v1::SUPERVISION_STEP_NOTICE);
  EXPECT_THAT(loop.Record(assign),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("only as 提级督办")));
}

TEST(Revisits, AfterARedoTheCentreMayCloseAnOrderThePartyIsStillUnsatisfiedWith) {
  CaseLoop loop = Diverted(Local(11, 2, 10), 5, WithHolidays());
  HandleAndRevisit(loop, Local(11, 2, 11), /*satisfied=*/false);
  // Before any redo the order cannot close unsatisfied, whoever asks.
  v1::CaseEvent close = MakeEvent(v1::CASE_EVENT_TYPE_CLOSE, Local(11, 4, 9), "centre");
  close.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
  close.set_reason("按程序办结");
  EXPECT_THAT(loop.Record(close),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("不满意办结")));
  v1::CaseEvent reopen = MakeEvent(v1::CASE_EVENT_TYPE_REOPEN, Local(11, 4, 9), "centre");
  reopen.set_reason("当事人不满意");
  ASSERT_OK(loop.Record(reopen));
  v1::CaseEvent redo = MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, Local(11, 4, 10), "centre");
  redo.set_department(v1::DEPARTMENT_HOUSING_CONSTRUCTION);
  redo.set_assignee(loop.proto().assignee());
  ASSERT_OK(loop.Record(redo));
  HandleAndRevisit(loop, Local(11, 5, 9), /*satisfied=*/false);
  // After the redo: not by the handler's desk, not without a reason; the centre with one may.
  close.mutable_at()->set_seconds(absl::ToUnixSeconds(Local(11, 9, 9)));
  v1::CaseEvent by_handler = close;
  by_handler.set_actor_role(v1::ACTOR_ROLE_DEPARTMENT);
  EXPECT_THAT(loop.Record(by_handler),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("不满意办结")));
  v1::CaseEvent no_reason = close;
  no_reason.clear_reason();
  EXPECT_THAT(loop.Record(no_reason),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("不满意办结")));
  ASSERT_OK(loop.Record(close));
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_CLOSED);
  EXPECT_FALSE(loop.state().satisfied);  // the rating stands
  ASSERT_OK_AND_ASSIGN(CaseLoop replayed, CaseLoop::Restore(loop.proto(), WithHolidays()));
  EXPECT_EQ(replayed.proto().SerializeAsString(), loop.proto().SerializeAsString());
}

TEST(Revisits, TheRevisitClockRunsToTheEndOfTheNextWorkingDayOnTheDistrictsCalendar) {
  // 次日回访: revisit_working_days 1. The resolution's next working day on the official calendar:
  // before National Day it is 10-08 (the holiday runs 10-01..10-07); on Friday 10-09 it is the
  // make-up Saturday 10-10; without a calendar a Friday's is the Monday.
  auto revisit_due = [](absl::Time resolved, CaseLoopOptions options) {
    v1::Incident incident;
    incident.set_id("r1");
    v1::Decision d;
    d.set_rule_id("divert-housing");
    d.mutable_action()->set_tier(v1::TIER_DEPARTMENT_DIVERSION);
    d.mutable_action()->mutable_sla()->set_resolve_working_days(5);
    d.mutable_action()->mutable_sla()->set_revisit_working_days(1);
    absl::StatusOr<CaseLoop> loop =
        CaseLoop::Open(incident, d, resolved - absl::Hours(3), "12345", std::move(options));
    EXPECT_OK(loop);
    v1::CaseEvent assign = MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, resolved - absl::Hours(2), "c");
    assign.set_department(v1::DEPARTMENT_HOUSING_CONSTRUCTION);
    EXPECT_OK(loop->Record(assign));
    EXPECT_OK(
        loop->Record(MakeEvent(v1::CASE_EVENT_TYPE_ACCEPT, resolved - absl::Hours(1), "住建")));
    EXPECT_OK(
        loop->Record(MakeEvent(v1::CASE_EVENT_TYPE_CONTACT, resolved - absl::Hours(1), "住建")));
    EXPECT_OK(loop->Record(MakeEvent(v1::CASE_EVENT_TYPE_RESOLVE, resolved, "住建")));
    const v1::Deadline& d_revisit = Clock(*loop, "revisit");
    EXPECT_EQ(d_revisit.working_days(), 1);
    return Shown(d_revisit.due());
  };
  EXPECT_EQ(revisit_due(Local(9, 30, 15), WithHolidays()), "2026-10-09 00:00");
  EXPECT_EQ(revisit_due(Local(10, 9, 15), WithHolidays()), "2026-10-11 00:00");
  EXPECT_EQ(revisit_due(Local(11, 6, 15), CaseLoopOptions()), "2026-11-10 00:00");
}

// Handled and resolved, at the revisit step (RESOLVED), for a REVISIT the test writes.
CaseLoop ResolvedOrder(absl::Time at) {
  CaseLoop loop = Diverted(at, 5, WithHolidays());
  const std::string holder = loop.proto().assignee();
  EXPECT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_ACCEPT, at + absl::Hours(1), holder)));
  EXPECT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_CONTACT, at + absl::Hours(2), holder)));
  EXPECT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_RESOLVE, at + absl::Hours(20), holder)));
  return loop;
}

v1::CaseEvent Rated(absl::Time at, bool satisfied, v1::Satisfaction satisfaction, bool contacted,
                    bool solved) {
  v1::CaseEvent revisit = MakeEvent(v1::CASE_EVENT_TYPE_REVISIT, at, "回访员");
  revisit.set_satisfied(satisfied);
  revisit.mutable_rating()->set_satisfaction(satisfaction);
  revisit.mutable_rating()->set_contacted(contacted);
  revisit.mutable_rating()->set_solved(solved);
  return revisit;
}

TEST(Revisits, TheRatingAnswersTheHotlinesThreeQuestionsAndAgreesWithWhatTheLoopActsOn) {
  const absl::Time at = Local(11, 2, 10);
  CaseLoop loop = ResolvedOrder(at);
  // 基本满意 is satisfied; saying otherwise in the same event is a contradiction.
  EXPECT_THAT(loop.Record(Rated(at + absl::Hours(30), false, v1::SATISFACTION_BASICALLY_SATISFIED,
                                true, true)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("基本满意")));
  EXPECT_THAT(
      loop.Record(Rated(at + absl::Hours(30), true, static_cast<v1::Satisfaction>(9), true, true)),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a known answer: 9")));
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_RESOLVED);
  ASSERT_OK(loop.Record(Rated(at + absl::Hours(30), true, v1::SATISFACTION_BASICALLY_SATISFIED,
                              /*contacted=*/true, /*solved=*/false)));
  const v1::CaseEvent& revisit = *loop.proto().events().rbegin();
  EXPECT_TRUE(revisit.rating().contacted());
  EXPECT_FALSE(revisit.rating().solved());
  ASSERT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_CLOSE, at + absl::Hours(31), "centre")));
}

v1::CaseEvent Review(absl::Time at, bool set_aside) {
  v1::CaseEvent review = MakeEvent(v1::CASE_EVENT_TYPE_REVIEW_RATING, at, "command-room");
  review.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
  review.set_rating_set_aside(set_aside);
  review.set_reason("诉求超出政策范围，部门已依法答复 (beyond policy; answered by law)");
  return review;
}

TEST(Revisits, AnUnreasonableBadRatingIsSetAsideOnReviewRecordedNotDeleted) {
  const absl::Time at = Local(11, 2, 10);
  CaseLoop loop = ResolvedOrder(at);
  ASSERT_OK(
      loop.Record(Rated(at + absl::Hours(30), false, v1::SATISFACTION_DISSATISFIED, true, true)));
  // Only the command room reviews, with its reason.
  v1::CaseEvent by_department = Review(at + absl::Hours(40), true);
  by_department.set_actor_role(v1::ACTOR_ROLE_DEPARTMENT);
  EXPECT_THAT(loop.Record(by_department),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("command room")));
  v1::CaseEvent unreasoned = Review(at + absl::Hours(40), true);
  unreasoned.clear_reason();
  EXPECT_THAT(loop.Record(unreasoned),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("needs a reason")));
  ASSERT_OK(loop.Record(Review(at + absl::Hours(40), true)));
  // The rating stays in the log as it was given; the case may now close.
  int unsatisfied = 0;
  for (const v1::CaseEvent& e : loop.proto().events()) {
    unsatisfied += e.type() == v1::CASE_EVENT_TYPE_REVISIT && !e.satisfied() ? 1 : 0;
  }
  EXPECT_EQ(unsatisfied, 1);
  EXPECT_THAT(loop.Record(Review(at + absl::Hours(41), true)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already set aside")));
  ASSERT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_CLOSE, at + absl::Hours(42), "centre")));
  ASSERT_OK_AND_ASSIGN(CaseLoop replayed, CaseLoop::Restore(loop.proto(), WithHolidays()));
  EXPECT_EQ(replayed.proto().SerializeAsString(), loop.proto().SerializeAsString());

  // A reasonable complaint: the rating stands, the order is redone.
  CaseLoop stands = ResolvedOrder(at);
  ASSERT_OK(stands.Record(
      Rated(at + absl::Hours(30), false, v1::SATISFACTION_DISSATISFIED, true, false)));
  ASSERT_OK(stands.Record(Review(at + absl::Hours(40), false)));
  EXPECT_THAT(stands.Record(MakeEvent(v1::CASE_EVENT_TYPE_CLOSE, at + absl::Hours(42), "centre")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("REOPEN")));
}

}  // namespace
}  // namespace fengqiao
