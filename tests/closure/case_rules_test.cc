// The case follows the station's rules (issue 11): the ladder is enforced, clocks run from the
// instruction and are re-armed on every hand-over, returns are reviewed and end in arbitration,
// revisits are made by someone else, mediations end with their type and outcome.
#include <map>
#include <string>

#include "fengqiao/closure/case_loop.h"
#include "fengqiao/mediation/working_calendar.h"
#include "fengqiao/time_zone.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/cases.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const absl::Time kReported = testing::kOpenedAt;  // 2026-10-14 10:00 +08

absl::Time At(int seconds) { return kReported + absl::Seconds(seconds); }

v1::Sla RapidSla(int resolve_seconds) {
  v1::Sla sla;
  sla.mutable_accept()->set_seconds(60);
  sla.mutable_contact()->set_seconds(180);
  sla.mutable_on_site()->set_seconds(600);
  sla.mutable_resolve()->set_seconds(resolve_seconds);
  sla.mutable_revisit()->set_seconds(7 * 86400);
  return sla;
}

CaseLoop OpenAt(v1::Tier tier, const v1::Sla& sla, CaseLoopOptions options = {},
                v1::Department department = v1::DEPARTMENT_UNSPECIFIED) {
  v1::Incident incident;
  incident.set_id("c1");
  v1::Decision d;
  d.set_rule_id("rule");
  d.mutable_action()->set_tier(tier);
  d.mutable_action()->set_department(department);
  *d.mutable_action()->mutable_sla() = sla;
  absl::StatusOr<CaseLoop> loop = CaseLoop::Open(incident, d, kReported, "110", options);
  EXPECT_OK(loop);
  return *std::move(loop);
}

v1::CaseEvent Ev(v1::CaseEventType type, int seconds, const std::string& actor) {
  return MakeEvent(type, At(seconds), actor);
}

v1::CaseEvent Assign(int seconds, const std::string& assignee) {
  v1::CaseEvent e = Ev(v1::CASE_EVENT_TYPE_ASSIGN, seconds, "dispatcher");
  e.set_assignee(assignee);
  return e;
}

v1::CaseEvent StartMediation(int seconds, const std::string& actor,
                             v1::MediationType type = v1::MEDIATION_TYPE_PEOPLES) {
  v1::CaseEvent e = Ev(v1::CASE_EVENT_TYPE_START_MEDIATION, seconds, actor);
  e.set_mediation_type(type);
  return e;
}

// A case at `tier` assigned to m-1, accepted and in mediation.
CaseLoop InMediation(v1::Tier tier, CaseLoopOptions options = {}) {
  CaseLoop loop = OpenAt(tier, RapidSla(3 * 86400), std::move(options));
  EXPECT_OK(loop.Record(Assign(10, "m-1")));
  EXPECT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_ACCEPT, 20, "m-1")));
  EXPECT_OK(loop.Record(StartMediation(30, "m-1")));
  return loop;
}

const v1::CaseEvent& Last(const CaseLoop& loop) { return *loop.proto().events().rbegin(); }

// --- 1. The ladder is enforced -----------------------------------------------------------------

TEST(Ladder, MediationFailedAtMediatorGoesToCommunityPoliceNotCourt) {
  CaseLoop loop = InMediation(v1::TIER_MEDIATOR);
  v1::CaseEvent to_court = Ev(v1::CASE_EVENT_TYPE_MEDIATION_FAILED, 3600, "m-1");
  to_court.set_tier(v1::TIER_COURT_REFERRAL);
  const int before = loop.proto().events_size();
  EXPECT_THAT(loop.Record(to_court),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("TIER_COMMUNITY_POLICE, not TIER_COURT_REFERRAL"),
                             HasSubstr("duty_officer, station_chief"))));
  EXPECT_EQ(loop.proto().events_size(), before);
  // Without a tier the ladder decides.
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_MEDIATION_FAILED, 3600, "m-1")));
  EXPECT_EQ(loop.state().tier, v1::TIER_COMMUNITY_POLICE);
  EXPECT_EQ(Last(loop).tier(), v1::TIER_COMMUNITY_POLICE);
  EXPECT_EQ(Last(loop).escalation_reason(), v1::ESCALATION_REASON_MEDIATION_FAILED);
  EXPECT_FALSE(Last(loop).ladder_override());
  EXPECT_EQ(loop.state().overrides, 0);
}

TEST(Ladder, AnEscalationNamesItsReason) {
  CaseLoop loop = InMediation(v1::TIER_COMMUNITY_POLICE);
  EXPECT_THAT(loop.Record(Ev(v1::CASE_EVENT_TYPE_ESCALATE, 3600, "m-1")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("escalation_reason")));
  v1::CaseEvent request = Ev(v1::CASE_EVENT_TYPE_ESCALATE, 3600, "m-1");
  request.set_escalation_reason(v1::ESCALATION_REASON_PARTY_REQUEST);
  ASSERT_OK(loop.Record(request));
  EXPECT_EQ(loop.state().tier, v1::TIER_JOINT_MEDIATION);  // 社区民警 -> 大调解
}

TEST(Ladder, RiskOfViolenceGoesToPoliceDispatchFromAnyTier) {
  for (v1::Tier tier :
       {v1::TIER_MEDIATOR, v1::TIER_LAWYER, v1::TIER_JOINT_MEDIATION, v1::TIER_COURT_REFERRAL}) {
    CaseLoop loop = InMediation(tier);
    v1::CaseEvent risk = Ev(v1::CASE_EVENT_TYPE_ESCALATE, 60, "m-1");
    risk.set_escalation_reason(v1::ESCALATION_REASON_RISK_FLAG);
    ASSERT_OK(loop.Record(risk));
    EXPECT_EQ(loop.state().tier, v1::TIER_POLICE_DISPATCH);
  }
}

TEST(Ladder, TheStationChiefOverridesWithAReasonAndTheOverrideIsCounted) {
  CaseLoop loop = InMediation(v1::TIER_MEDIATOR);
  v1::CaseEvent skip = Ev(v1::CASE_EVENT_TYPE_MEDIATION_FAILED, 3600, "s-01");
  skip.set_tier(v1::TIER_COURT_REFERRAL);
  skip.set_actor_role(v1::ACTOR_ROLE_HANDLER);
  skip.set_override_reason("标的额大, 当事人申请诉前调解 (large claim, pre-trial mediation)");
  EXPECT_THAT(loop.Record(skip),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("only duty_officer, station_chief may override"),
                             HasSubstr("not actor_role handler"))));
  skip.set_actor_role(v1::ACTOR_ROLE_STATION_CHIEF);
  ASSERT_OK(loop.Record(skip));
  EXPECT_EQ(loop.state().tier, v1::TIER_COURT_REFERRAL);
  EXPECT_EQ(loop.state().overrides, 1);
  EXPECT_TRUE(Last(loop).ladder_override());
  EXPECT_THAT(Last(loop).override_reason(), HasSubstr("诉前调解"));
  // Replay counts it too.
  ASSERT_OK_AND_ASSIGN(CaseLoop restored, CaseLoop::Restore(loop.proto()));
  EXPECT_EQ(restored.state().overrides, 1);
}

TEST(Ladder, WhoMayOverrideIsConfigured) {
  CaseLoopOptions options;
  options.override_roles = {v1::ACTOR_ROLE_COMMAND_ROOM};
  CaseLoop loop = InMediation(v1::TIER_MEDIATOR, options);
  v1::CaseEvent skip = Ev(v1::CASE_EVENT_TYPE_MEDIATION_FAILED, 3600, "s-01");
  skip.set_tier(v1::TIER_JOINT_MEDIATION);
  skip.set_override_reason("多方当事人 (many parties)");
  skip.set_actor_role(v1::ACTOR_ROLE_STATION_CHIEF);
  EXPECT_THAT(loop.Record(skip), StatusIs(absl::StatusCode::kFailedPrecondition,
                                          HasSubstr("only command_room may override")));
  skip.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
  ASSERT_OK(loop.Record(skip));
  // A log with an override replays only under options that allow it.
  EXPECT_THAT(CaseLoop::Restore(loop.proto()),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("does not replay")));
  EXPECT_OK(CaseLoop::Restore(loop.proto(), options));
}

TEST(Ladder, TheCourtIsTheTopAndOnlyAnOverrideGoesElsewhere) {
  CaseLoop loop = InMediation(v1::TIER_COURT_REFERRAL);
  EXPECT_THAT(loop.Record(Ev(v1::CASE_EVENT_TYPE_MEDIATION_FAILED, 3600, "m-1")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("top of the ladder")));
}

TEST(Ladder, RestoreRefusesAnEscalationOffTheLadderAsDataLoss) {
  CaseLoop loop = InMediation(v1::TIER_MEDIATOR);
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_MEDIATION_FAILED, 3600, "m-1")));
  v1::Case tampered = loop.proto();
  tampered.mutable_events(tampered.events_size() - 1)->set_tier(v1::TIER_COURT_REFERRAL);
  EXPECT_THAT(CaseLoop::Restore(tampered),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("TIER_COMMUNITY_POLICE")));
}

// --- 2. Deadlines per holder, from the instruction ---------------------------------------------

TEST(Deadlines, ClocksRunFromTheInstructionNotTheReport) {
  CaseLoop loop = OpenAt(v1::TIER_POLICE_DISPATCH, RapidSla(86400));
  EXPECT_THAT(loop.proto().deadlines(), IsEmpty());  // nobody has been instructed yet
  EXPECT_THAT(loop.Overdue(At(300)), IsEmpty());
  ASSERT_OK(loop.Record(Assign(300, "p-7")));   // 派单 five minutes after the report
  ASSERT_EQ(loop.proto().deadlines_size(), 4);  // 1/3/10 and resolve
  const v1::Deadline& accept = loop.proto().deadlines(0);
  EXPECT_EQ(accept.name(), "accept");
  EXPECT_EQ(accept.holder(), "p-7");
  EXPECT_EQ(accept.tier(), v1::TIER_POLICE_DISPATCH);
  EXPECT_EQ(accept.armed_at().seconds(), absl::ToUnixSeconds(At(300)));
  EXPECT_EQ(accept.due().seconds(), absl::ToUnixSeconds(At(360)));
  EXPECT_THAT(loop.Overdue(At(350)), IsEmpty());
  EXPECT_EQ(loop.Overdue(At(361)).size(), 1u);
}

TEST(Deadlines, EscalationRearmsTheNewHoldersDeadlinesAndClosesTheOld) {
  CaseLoopOptions options;
  options.tier_sla[v1::TIER_JOINT_MEDIATION].mutable_resolve()->set_seconds(15 * 86400);
  CaseLoop loop = OpenAt(v1::TIER_COMMUNITY_POLICE, RapidSla(3600), options);
  ASSERT_OK(loop.Record(Assign(0, "p-1")));
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_ACCEPT, 30, "p-1")));
  v1::CaseEvent up = Ev(v1::CASE_EVENT_TYPE_ESCALATE, 50 * 60, "p-1");
  up.set_escalation_reason(v1::ESCALATION_REASON_PARTY_REQUEST);
  ASSERT_OK(loop.Record(up));  // contact and on-site fell due unmet: recorded before
  EXPECT_THAT(loop.proto().deadlines(), IsEmpty());
  ASSERT_OK(loop.Record(Assign(55 * 60, "j-1")));
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_ACCEPT, 56 * 60, "j-1")));
  // Eight minutes after the 大调解 accepted, the officer's old one-hour resolve clock would have
  // passed; only the new holder's counts.
  ASSERT_OK_AND_ASSIGN(bool escalated, EscalateIfResolveOverdue(loop, At(64 * 60)));
  EXPECT_FALSE(escalated);
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_ACCEPTED);
  // The old holder's clocks are closed and recorded: accept met, contact and on-site breached,
  // resolve handed over before it fell due.
  std::map<std::string, const v1::Deadline*> old;
  for (const v1::Deadline& d : loop.proto().closed_deadlines()) old[d.name()] = &d;
  ASSERT_EQ(old.size(), 4u);
  EXPECT_TRUE(old["accept"]->met() && !old["accept"]->breached());
  EXPECT_TRUE(!old["contact"]->met() && old["contact"]->breached());
  EXPECT_TRUE(!old["resolve"]->met() && !old["resolve"]->breached());
  EXPECT_EQ(old["resolve"]->holder(), "p-1");
  EXPECT_EQ(old["resolve"]->closed_at().seconds(), absl::ToUnixSeconds(At(50 * 60)));
  // The new holder has the 大调解's resolve clock from its instruction, and no 1/3/10.
  ASSERT_EQ(loop.proto().deadlines_size(), 1);
  EXPECT_EQ(loop.proto().deadlines(0).name(), "resolve");
  EXPECT_EQ(loop.proto().deadlines(0).holder(), "j-1");
  EXPECT_EQ(loop.proto().deadlines(0).due().seconds(),
            absl::ToUnixSeconds(At(55 * 60) + absl::Hours(24 * 15)));
}

TEST(Deadlines, ARuleWithoutRapidResponseClocksArmsNone) {
  // 警律联调: a lawyer has days to settle, not 1/3/10.
  v1::Sla lawyer;
  lawyer.mutable_resolve()->set_seconds(7 * 86400);
  lawyer.mutable_revisit()->set_seconds(7 * 86400);
  CaseLoop loop = OpenAt(v1::TIER_LAWYER, lawyer);
  ASSERT_OK(loop.Record(Assign(10, "l-1")));
  ASSERT_EQ(loop.proto().deadlines_size(), 1);
  EXPECT_EQ(loop.proto().deadlines(0).name(), "resolve");
  EXPECT_THAT(loop.Overdue(At(86400)), IsEmpty());
}

TEST(Deadlines, AnEscalatedTierWithoutItsOwnSlaKeepsResolveWithoutTheOneThreeTen) {
  CaseLoop loop = InMediation(v1::TIER_MEDIATOR);
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_MEDIATION_FAILED, 3600, "m-1")));
  EXPECT_FALSE(Last(loop).sla().has_accept());
  EXPECT_EQ(Last(loop).sla().resolve().seconds(), 3 * 86400);
  ASSERT_OK(loop.Record(Assign(3700, "p-2")));
  ASSERT_EQ(loop.proto().deadlines_size(), 1);
  EXPECT_EQ(loop.proto().deadlines(0).name(), "resolve");
}

TEST(Deadlines, FeedbackWithinTheTimeTheCommandRoomSetIsAClock) {
  // 综合指挥室 派发给职能部门, 要求限时反馈.
  v1::Sla sla;
  sla.mutable_resolve()->set_seconds(5 * 86400);
  CaseLoop loop = OpenAt(v1::TIER_DEPARTMENT_DIVERSION, sla, {}, v1::DEPARTMENT_CITY_MANAGEMENT);
  v1::CaseEvent assign = Ev(v1::CASE_EVENT_TYPE_ASSIGN, 60, "指挥中心");
  assign.set_department(v1::DEPARTMENT_CITY_MANAGEMENT);
  assign.mutable_feedback_within()->set_seconds(2 * 86400);
  ASSERT_OK(loop.Record(assign));
  EXPECT_EQ(loop.proto().assignee(), "city_management");
  ASSERT_EQ(loop.Overdue(At(60 + 2 * 86400 + 1)).size(), 1u);
  EXPECT_EQ(loop.Overdue(At(60 + 2 * 86400 + 1))[0].name(), "feedback");
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_ACCEPT, 120, "city_management")));
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_CONTACT, 600, "city_management")));
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_RESOLVE, 86400, "city_management")));
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_GIVE_FEEDBACK, 86400 + 600, "city_management")));
  for (const v1::Deadline& d : loop.proto().deadlines()) {
    if (d.name() == "feedback") {
      EXPECT_TRUE(d.met() && !d.breached());
    }
  }
}

// --- 6. Returns are reviewed and end in arbitration --------------------------------------------

CaseLoop Diverted(CaseLoopOptions options = {}) {
  v1::Sla sla;
  sla.mutable_accept()->set_seconds(3600);
  sla.mutable_resolve()->set_seconds(5 * 86400);
  CaseLoop loop =
      OpenAt(v1::TIER_DEPARTMENT_DIVERSION, sla, std::move(options), v1::DEPARTMENT_COMMUNITY);
  v1::CaseEvent assign = Ev(v1::CASE_EVENT_TYPE_ASSIGN, 60, "指挥中心");
  assign.set_department(v1::DEPARTMENT_COMMUNITY);
  EXPECT_OK(loop.Record(assign));
  return loop;
}

v1::CaseEvent Return(int seconds, v1::Department from, v1::Department to) {
  v1::CaseEvent e = Ev(v1::CASE_EVENT_TYPE_RETURN, seconds, "dept");
  e.set_actor_role(v1::ACTOR_ROLE_DEPARTMENT);
  e.set_refused_by(from);
  e.set_should_go_to(to);
  e.set_reason("不属本部门职责 (not ours)");
  return e;
}

v1::CaseEvent Review(v1::CaseEventType type, int seconds) {
  v1::CaseEvent e = Ev(type, seconds, "指挥中心");
  e.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
  return e;
}

TEST(Returns, AReturnNamesTheDepartmentThatShouldTakeIt) {
  CaseLoop loop = Diverted();
  v1::CaseEvent back = Return(600, v1::DEPARTMENT_COMMUNITY, v1::DEPARTMENT_UNSPECIFIED);
  EXPECT_THAT(loop.Record(back),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("should_go_to")));
}

TEST(Returns, OnlyTheCommandRoomReviewsAReturn) {
  CaseLoop loop = Diverted();
  ASSERT_OK(loop.Record(Return(600, v1::DEPARTMENT_COMMUNITY, v1::DEPARTMENT_CITY_MANAGEMENT)));
  v1::CaseEvent self_approved = Ev(v1::CASE_EVENT_TYPE_APPROVE_RETURN, 700, "dept");
  self_approved.set_actor_role(v1::ACTOR_ROLE_DEPARTMENT);
  EXPECT_THAT(loop.Record(self_approved),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("command room")));
  // The return no longer re-triages by itself.
  v1::CaseEvent triage = Ev(v1::CASE_EVENT_TYPE_TRIAGE, 700, "router");
  triage.set_tier(v1::TIER_DEPARTMENT_DIVERSION);
  EXPECT_THAT(loop.Record(triage),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("does not accept TRIAGE")));
}

TEST(Returns, TheCommandRoomRejectsAReturnWithAReasonAndTheDepartmentGetsItBack) {
  CaseLoop loop = Diverted();
  ASSERT_OK(loop.Record(Return(600, v1::DEPARTMENT_COMMUNITY, v1::DEPARTMENT_CITY_MANAGEMENT)));
  EXPECT_THAT(loop.Record(Review(v1::CASE_EVENT_TYPE_REJECT_RETURN, 700)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("needs a reason")));
  v1::CaseEvent reject = Review(v1::CASE_EVENT_TYPE_REJECT_RETURN, 700);
  reject.set_reason("楼道堆物属社区管理 (hallway clutter is the community's)");
  ASSERT_OK(loop.Record(reject));
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_ASSIGNED);
  EXPECT_EQ(loop.proto().department(), v1::DEPARTMENT_COMMUNITY);
  // Sent back is a new instruction: the department's accept clock starts again.
  ASSERT_EQ(loop.proto().deadlines_size(), 2);
  EXPECT_EQ(loop.proto().deadlines(0).armed_at().seconds(), absl::ToUnixSeconds(At(700)));
  EXPECT_EQ(loop.proto().deadlines(0).holder(), "community");
}

TEST(Returns, ThirdReturnGoesToCommandRoomArbitration) {
  CaseLoop loop = Diverted();
  ASSERT_OK(loop.Record(Return(600, v1::DEPARTMENT_COMMUNITY, v1::DEPARTMENT_CITY_MANAGEMENT)));
  ASSERT_OK(loop.Record(Review(v1::CASE_EVENT_TYPE_APPROVE_RETURN, 700)));
  EXPECT_EQ(loop.proto().department(), v1::DEPARTMENT_CITY_MANAGEMENT);
  ASSERT_OK(loop.Record(Return(800, v1::DEPARTMENT_CITY_MANAGEMENT, v1::DEPARTMENT_COMMUNITY)));
  ASSERT_OK(loop.Record(Review(v1::CASE_EVENT_TYPE_APPROVE_RETURN, 900)));
  ASSERT_OK(loop.Record(Return(1000, v1::DEPARTMENT_COMMUNITY, v1::DEPARTMENT_CITY_MANAGEMENT)));
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_IN_ARBITRATION);
  EXPECT_EQ(loop.state().returns, 3);
  v1::CaseEvent decide = Review(v1::CASE_EVENT_TYPE_ARBITRATE, 1100);
  decide.set_reason("职责清单: 住建 (the responsibility list names housing)");
  EXPECT_THAT(loop.Record(decide),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("department")));
  decide.set_department(v1::DEPARTMENT_HOUSING_CONSTRUCTION);
  ASSERT_OK(loop.Record(decide));
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_ASSIGNED);
  EXPECT_EQ(loop.proto().department(), v1::DEPARTMENT_HOUSING_CONSTRUCTION);
  EXPECT_EQ(loop.proto().assignee(), "housing_construction");
  // 裁定 is final.
  EXPECT_THAT(
      loop.Record(Return(1200, v1::DEPARTMENT_HOUSING_CONSTRUCTION, v1::DEPARTMENT_COMMUNITY)),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("final")));
}

TEST(Returns, HowManyReturnsTheCommandRoomReviewsIsConfigured) {
  CaseLoopOptions options;
  options.max_returns = 0;
  CaseLoop loop = Diverted(options);
  ASSERT_OK(loop.Record(Return(600, v1::DEPARTMENT_COMMUNITY, v1::DEPARTMENT_CITY_MANAGEMENT)));
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_IN_ARBITRATION);
}

// --- 7. Revisits by someone else; mediations that end with a type and an outcome ---------------

TEST(Revisit, HandlerCannotRevisitTheirOwnCase) {
  CaseLoop loop = InMediation(v1::TIER_MEDIATOR);
  v1::CaseEvent resolve = Ev(v1::CASE_EVENT_TYPE_RESOLVE, 3600, "m-1");
  resolve.set_mediation_outcome(v1::MEDIATION_OUTCOME_AGREEMENT_ORAL);
  ASSERT_OK(loop.Record(resolve));
  v1::CaseEvent own = Ev(v1::CASE_EVENT_TYPE_REVISIT, 86400, "m-1");
  own.set_satisfied(true);
  EXPECT_THAT(loop.Record(own),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("回访"), HasSubstr("someone other than the handler"),
                             ::testing::Not(HasSubstr("m-1")))));
  v1::CaseEvent other = Ev(v1::CASE_EVENT_TYPE_REVISIT, 86400, "cp-3");
  other.set_satisfied(true);
  ASSERT_OK(loop.Record(other));
  // A log whose revisit was made by the handler does not replay.
  v1::Case tampered = loop.proto();
  tampered.mutable_events(tampered.events_size() - 1)->set_actor("m-1");
  EXPECT_THAT(CaseLoop::Restore(tampered),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("someone other than the handler")));
}

TEST(Mediation, AMediationStartsWithItsTypeAndEndsWithAnAgreement) {
  CaseLoop loop = OpenAt(v1::TIER_COMMUNITY_POLICE, RapidSla(86400));
  ASSERT_OK(loop.Record(Assign(10, "p-1")));
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_ACCEPT, 20, "p-1")));
  EXPECT_THAT(loop.Record(Ev(v1::CASE_EVENT_TYPE_START_MEDIATION, 30, "p-1")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("治安调解")));
  ASSERT_OK(loop.Record(StartMediation(30, "p-1", v1::MEDIATION_TYPE_PUBLIC_SECURITY)));
  EXPECT_THAT(loop.Record(Ev(v1::CASE_EVENT_TYPE_RESOLVE, 3600, "p-1")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("agreement")));
  v1::CaseEvent resolve = Ev(v1::CASE_EVENT_TYPE_RESOLVE, 3600, "p-1");
  resolve.set_mediation_outcome(v1::MEDIATION_OUTCOME_JUDICIAL_CONFIRMATION);
  ASSERT_OK(loop.Record(resolve));
  EXPECT_EQ(Last(loop).mediation_type(), v1::MEDIATION_TYPE_PUBLIC_SECURITY);
  EXPECT_EQ(Last(loop).mediation_outcome(), v1::MEDIATION_OUTCOME_JUDICIAL_CONFIRMATION);
}

TEST(Mediation, AFailedMediationIsRecordedAsTerminatedNotSilently) {
  CaseLoop loop = InMediation(v1::TIER_MEDIATOR);
  v1::CaseEvent failed = Ev(v1::CASE_EVENT_TYPE_MEDIATION_FAILED, 3600, "m-1");
  failed.set_mediation_outcome(v1::MEDIATION_OUTCOME_AGREEMENT_ORAL);
  EXPECT_THAT(loop.Record(failed), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("终止")));
  failed.clear_mediation_outcome();
  ASSERT_OK(loop.Record(failed));
  EXPECT_EQ(Last(loop).mediation_type(), v1::MEDIATION_TYPE_PEOPLES);
  EXPECT_EQ(Last(loop).mediation_outcome(), v1::MEDIATION_OUTCOME_TERMINATED);
}

// --- 3. Co-handlers (协办) -------------------------------------------------------------------

v1::CaseEvent AddCoHandler(int seconds, const std::string& who, int accept_seconds) {
  v1::CaseEvent e = Ev(v1::CASE_EVENT_TYPE_ADD_CO_HANDLER, seconds, "dispatcher");
  e.set_co_handler(who);
  if (accept_seconds > 0) e.mutable_sla()->mutable_accept()->set_seconds(accept_seconds);
  return e;
}

TEST(CoHandlers, PoliceLawyerMediationHasALeadAndALawyerWithItsOwnAcceptClockAndOutcome) {
  // 警律联调: the officer leads (主办), the lawyer on duty co-handles (协办).
  CaseLoop loop = OpenAt(v1::TIER_COMMUNITY_POLICE, RapidSla(86400));
  ASSERT_OK(loop.Record(Assign(0, "p-1")));
  ASSERT_OK(loop.Record(AddCoHandler(30, "l-1", 600)));
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_ACCEPT, 40, "p-1")));
  std::vector<v1::Deadline> late = loop.Overdue(At(30 + 601));
  std::vector<std::string> names;
  for (const v1::Deadline& d : late) names.push_back(d.name() + "/" + d.holder());
  EXPECT_THAT(names, ::testing::Contains("co_accept/l-1"));
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_CO_HANDLER_ACCEPT, 300, "l-1")));
  for (const v1::Deadline& d : loop.Overdue(At(30 + 601))) EXPECT_NE(d.name(), "co_accept");
  ASSERT_OK(loop.Record(StartMediation(400, "p-1", v1::MEDIATION_TYPE_PEOPLES)));
  EXPECT_THAT(loop.Record(Ev(v1::CASE_EVENT_TYPE_CO_HANDLER_DONE, 3000, "l-1")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("needs a reason")));
  v1::CaseEvent done = Ev(v1::CASE_EVENT_TYPE_CO_HANDLER_DONE, 3000, "l-1");
  done.set_reason("释法说理, 双方接受赔偿方案 (explained the law; both accept the settlement)");
  ASSERT_OK(loop.Record(done));
  ASSERT_EQ(loop.proto().co_handlers_size(), 1);
  const v1::CoHandler& lawyer = loop.proto().co_handlers(0);
  EXPECT_EQ(lawyer.id(), "l-1");
  EXPECT_EQ(lawyer.accepted_at().seconds(), absl::ToUnixSeconds(At(300)));
  EXPECT_THAT(lawyer.outcome(), HasSubstr("释法说理"));
  EXPECT_EQ(loop.proto().assignee(), "p-1");  // the lead stays the lead
  // The lawyer co-handled: not the one to revisit either.
  v1::CaseEvent resolve = Ev(v1::CASE_EVENT_TYPE_RESOLVE, 3600, "p-1");
  resolve.set_mediation_outcome(v1::MEDIATION_OUTCOME_AGREEMENT_WRITTEN);
  ASSERT_OK(loop.Record(resolve));
  v1::CaseEvent revisit = Ev(v1::CASE_EVENT_TYPE_REVISIT, 86400, "l-1");
  revisit.set_satisfied(true);
  EXPECT_THAT(loop.Record(revisit), StatusIs(absl::StatusCode::kFailedPrecondition,
                                             HasSubstr("someone other than the handler")));
}

TEST(CoHandlers, ACoHandlerIsNeitherTheLeadNorAddedTwiceAndOnlyItAcceptsItsPart) {
  CaseLoop loop = OpenAt(v1::TIER_COMMUNITY_POLICE, RapidSla(86400));
  ASSERT_OK(loop.Record(Assign(0, "p-1")));
  EXPECT_THAT(loop.Record(AddCoHandler(10, "", 0)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("co_handler")));
  EXPECT_THAT(loop.Record(AddCoHandler(10, "p-1", 0)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already the lead")));
  ASSERT_OK(loop.Record(AddCoHandler(10, "l-1", 0)));
  EXPECT_THAT(loop.Record(AddCoHandler(20, "l-1", 0)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("co-handler")));
  EXPECT_THAT(loop.Record(Ev(v1::CASE_EVENT_TYPE_CO_HANDLER_ACCEPT, 30, "l-2")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("added to the case")));
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_CO_HANDLER_ACCEPT, 30, "l-1")));
  EXPECT_THAT(loop.Record(Ev(v1::CASE_EVENT_TYPE_CO_HANDLER_ACCEPT, 40, "l-1")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not accepted yet")));
}


// --- 4. Levels and the "512" meetings ----------------------------------------------------------

// Wed 2026-10-14 10:00 +08 is the report; the street meets on Monday 10-19 09:00, the district on
// Tuesday 10-20 09:00.
const absl::Time kMonday = absl::FromUnixSeconds(1791943200 + 5 * 86400 - 3600);
const absl::Time kTuesday = kMonday + absl::Hours(24);

// A community-police mediation that failed: up the ladder to 大调解, the street's level.
CaseLoop EscalatedToTheStreet(CaseLoopOptions options = {}) {
  CaseLoop loop = InMediation(v1::TIER_COMMUNITY_POLICE, std::move(options));
  EXPECT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_MEDIATION_FAILED, 3600, "m-1")));
  return loop;
}

v1::CaseEvent Consult(absl::Time at, v1::ConsultationOutcome outcome) {
  v1::CaseEvent e = MakeEvent(v1::CASE_EVENT_TYPE_CONSULT, at, "街道会商");
  e.set_consultation_outcome(outcome);
  return e;
}

TEST(Levels, ACaseIsHeldByTheLevelOfItsTier) {
  EXPECT_EQ(OpenAt(v1::TIER_MEDIATOR, RapidSla(86400)).proto().level(),
            v1::AREA_LEVEL_COMMUNITY);
  EXPECT_EQ(OpenAt(v1::TIER_POLICE_DISPATCH, RapidSla(86400)).proto().level(),
            v1::AREA_LEVEL_COMMUNITY);
  EXPECT_EQ(OpenAt(v1::TIER_JOINT_MEDIATION, RapidSla(86400)).proto().level(),
            v1::AREA_LEVEL_STREET);
  EXPECT_EQ(OpenAt(v1::TIER_COURT_REFERRAL, RapidSla(86400)).proto().level(),
            v1::AREA_LEVEL_DISTRICT);
  // Routed straight to a level is not "the level below could not settle it": no agenda.
  EXPECT_FALSE(OpenAt(v1::TIER_JOINT_MEDIATION, RapidSla(86400)).proto().has_consultation());
}

TEST(Levels, EscalationWithinTheCommunityPutsTheCaseOnNoAgenda) {
  CaseLoop loop = InMediation(v1::TIER_MEDIATOR);
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_MEDIATION_FAILED, 3600, "m-1")));
  EXPECT_EQ(loop.proto().tier(), v1::TIER_COMMUNITY_POLICE);
  EXPECT_EQ(loop.proto().level(), v1::AREA_LEVEL_COMMUNITY);
  EXPECT_FALSE(loop.proto().has_consultation());
  EXPECT_THAT(loop.Record(Consult(kMonday, v1::CONSULTATION_OUTCOME_RESOLVED)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no consultation")));
}

TEST(Levels, WhatTheCommunityCouldNotSettleGoesOnTheStreetsNextMondayMeeting) {
  CaseLoop loop = EscalatedToTheStreet();
  EXPECT_EQ(loop.proto().tier(), v1::TIER_JOINT_MEDIATION);
  EXPECT_EQ(loop.proto().level(), v1::AREA_LEVEL_STREET);
  EXPECT_EQ(Last(loop).level(), v1::AREA_LEVEL_STREET);
  ASSERT_TRUE(loop.proto().has_consultation());
  const v1::ConsultationItem& item = loop.proto().consultation();
  EXPECT_EQ(item.level(), v1::AREA_LEVEL_STREET);
  EXPECT_EQ(item.meeting_at().seconds(), absl::ToUnixSeconds(kMonday));
  EXPECT_EQ(item.since().seconds(), absl::ToUnixSeconds(At(3600)));
  EXPECT_EQ(item.moved_off(), "");
  EXPECT_EQ(Last(loop).consultation().meeting_at().seconds(), absl::ToUnixSeconds(kMonday));
}

TEST(Levels, AMeetingOnAPublicHolidayMovesToTheNextWorkingDay) {
  ASSERT_OK_AND_ASSIGN(
      std::shared_ptr<const WorkingCalendar> holidays,
      WorkingCalendar::Load(FENGQIAO_SOURCE_DIR "/examples/data/calendar/holidays.textproto"));
  CaseLoopOptions options;
  options.consultation_calendar = std::make_shared<const ConsultationCalendar>(
      ConsultationCalendarOptions{.working_calendar = holidays});
  // Reported Wed 2026-09-30; the Monday after is 10-05, inside 国庆节 (10-01..10-07): the street
  // meets on Thursday 10-08, the first working day.
  v1::Incident incident;
  incident.set_id("c2");
  v1::Decision d;
  d.set_rule_id("rule");
  d.mutable_action()->set_tier(v1::TIER_COMMUNITY_POLICE);
  const absl::Time reported = kReported - absl::Hours(24 * 14);
  ASSERT_OK_AND_ASSIGN(CaseLoop loop, CaseLoop::Open(incident, d, reported, "110", options));
  v1::CaseEvent up = MakeEvent(v1::CASE_EVENT_TYPE_ESCALATE, reported + absl::Hours(2), "p-1");
  up.set_escalation_reason(v1::ESCALATION_REASON_PARTY_REQUEST);
  ASSERT_OK(loop.Record(up));
  const v1::ConsultationItem& item = loop.proto().consultation();
  EXPECT_EQ(absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixSeconds(item.meeting_at().seconds()),
                             ChinaTimeZone()),
            "2026-10-08 09:00");
  EXPECT_EQ(item.moved_off(), "国庆节");
}

TEST(Levels, TheMeetingsOutcomeCannotBeRecordedBeforeTheMeeting) {
  CaseLoop loop = EscalatedToTheStreet();
  EXPECT_THAT(loop.Record(Consult(kMonday - absl::Minutes(1), v1::CONSULTATION_OUTCOME_RESOLVED)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is held at 2026-10-19")));
  EXPECT_THAT(loop.Record(Consult(kMonday, v1::CONSULTATION_OUTCOME_UNSPECIFIED)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("consultation_outcome")));
}

TEST(Levels, TheStreetMeetingSettlesTheCaseAndTheRevisitClockStarts) {
  CaseLoop loop = EscalatedToTheStreet();
  ASSERT_OK(loop.Record(Consult(kMonday + absl::Minutes(40), v1::CONSULTATION_OUTCOME_RESOLVED)));
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_RESOLVED);
  EXPECT_FALSE(loop.proto().has_consultation());
  ASSERT_EQ(loop.proto().deadlines_size(), 1);
  EXPECT_EQ(loop.proto().deadlines(0).name(), "revisit");
  // The meeting settled it: its chair is not the one to revisit either.
  v1::CaseEvent revisit = MakeEvent(v1::CASE_EVENT_TYPE_REVISIT, kTuesday, "街道会商");
  revisit.set_satisfied(true);
  EXPECT_THAT(loop.Record(revisit), StatusIs(absl::StatusCode::kFailedPrecondition,
                                             HasSubstr("someone other than the handler")));
}

TEST(Levels, TheStreetMeetingAssignsWithADeadlineThatRunsFromTheMeeting) {
  CaseLoop loop = EscalatedToTheStreet();
  ASSERT_OK(loop.Record(Assign(3700, "j-1")));  // 大调解 takes it meanwhile
  v1::CaseEvent assign = Consult(kMonday + absl::Hours(1), v1::CONSULTATION_OUTCOME_ASSIGNED);
  assign.set_assignee("城管中队");
  EXPECT_THAT(loop.Record(assign),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("sla.resolve")));
  assign.mutable_sla()->mutable_resolve()->set_seconds(5 * 86400);
  ASSERT_OK(loop.Record(assign));
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_ASSIGNED);
  EXPECT_EQ(loop.proto().assignee(), "城管中队");
  EXPECT_FALSE(loop.proto().has_consultation());
  EXPECT_EQ(loop.proto().level(), v1::AREA_LEVEL_STREET);
  ASSERT_EQ(loop.proto().deadlines_size(), 1);
  EXPECT_EQ(loop.proto().deadlines(0).holder(), "城管中队");
  EXPECT_EQ(loop.proto().deadlines(0).due().seconds(),
            absl::ToUnixSeconds(kMonday + absl::Hours(1) + absl::Hours(24 * 5)));
  // The 大调解's clock was closed by the hand-over.
  bool closed = false;
  for (const v1::Deadline& d : loop.proto().closed_deadlines()) closed |= d.holder() == "j-1";
  EXPECT_TRUE(closed);
}

TEST(Levels, WhatTheStreetCouldNotSettleGoesToTheDistrictsTuesdayMeetingAndNoHigher) {
  CaseLoop loop = EscalatedToTheStreet();
  ASSERT_OK(loop.Record(Consult(kMonday + absl::Hours(2), v1::CONSULTATION_OUTCOME_SENT_UP)));
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_ESCALATED);
  EXPECT_EQ(loop.proto().level(), v1::AREA_LEVEL_DISTRICT);
  const v1::ConsultationItem& item = loop.proto().consultation();
  EXPECT_EQ(item.level(), v1::AREA_LEVEL_DISTRICT);
  EXPECT_EQ(item.meeting_at().seconds(), absl::ToUnixSeconds(kTuesday));
  EXPECT_EQ(item.since().seconds(), absl::ToUnixSeconds(kMonday + absl::Hours(2)));
  EXPECT_THAT(loop.Record(Consult(kTuesday, v1::CONSULTATION_OUTCOME_SENT_UP)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("top")));
  v1::CaseEvent assign = Consult(kTuesday + absl::Hours(1), v1::CONSULTATION_OUTCOME_ASSIGNED);
  assign.set_department(v1::DEPARTMENT_HOUSING_CONSTRUCTION);
  assign.mutable_sla()->mutable_resolve()->set_seconds(10 * 86400);
  ASSERT_OK(loop.Record(assign));
  EXPECT_EQ(loop.proto().department(), v1::DEPARTMENT_HOUSING_CONSTRUCTION);
  EXPECT_EQ(loop.proto().level(), v1::AREA_LEVEL_DISTRICT);  // never lowered
}

TEST(Levels, ACaseSettledBeforeItsMeetingLeavesTheAgenda) {
  CaseLoop loop = EscalatedToTheStreet();
  ASSERT_OK(loop.Record(Assign(3700, "j-1")));
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_ACCEPT, 3800, "j-1")));
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_CONTACT, 3900, "j-1")));
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_RESOLVE, 86400, "j-1")));
  EXPECT_FALSE(loop.proto().has_consultation());
  EXPECT_THAT(loop.Record(Consult(kMonday, v1::CONSULTATION_OUTCOME_RESOLVED)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("does not accept CONSULT")));
  // The replayed case agrees.
  ASSERT_OK_AND_ASSIGN(CaseLoop replayed, CaseLoop::Restore(loop.proto()));
  EXPECT_EQ(replayed.proto().SerializeAsString(), loop.proto().SerializeAsString());
}

}  // namespace
}  // namespace fengqiao
