#include "fengqiao/closure/case_loop.h"

#include <map>
#include <memory>
#include <random>

#include "absl/strings/str_cat.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const absl::Time kReported = absl::FromUnixSeconds(1791943200);  // 2026-10-14 10:00 +08

v1::Decision MediatorDecision() {
  v1::Decision d;
  d.set_incident_id("c1");
  d.set_rule_id("noise-property-butler");
  d.set_rule_set_version("2026.10.1");
  d.set_rule_set_hash("a16b627d3b0b881f");
  v1::Action* a = d.mutable_action();
  a->set_tier(v1::TIER_MEDIATOR);
  a->mutable_sla()->mutable_accept()->set_seconds(60);
  a->mutable_sla()->mutable_contact()->set_seconds(180);
  a->mutable_sla()->mutable_on_site()->set_seconds(600);
  a->mutable_sla()->mutable_resolve()->set_seconds(3 * 86400);
  a->mutable_sla()->mutable_revisit()->set_seconds(7 * 86400);
  return d;
}

CaseLoop Opened() {
  v1::Incident incident;
  incident.set_id("c1");
  absl::StatusOr<CaseLoop> loop = CaseLoop::Open(incident, MediatorDecision(), kReported, "110");
  EXPECT_OK(loop);
  return *std::move(loop);
}

absl::Time At(int seconds) { return kReported + absl::Seconds(seconds); }

v1::CaseEvent Ev(v1::CaseEventType type, int seconds, const std::string& actor = "m-0082") {
  v1::CaseEvent e = MakeEvent(type, At(seconds), actor);
  if (type == v1::CASE_EVENT_TYPE_START_MEDIATION) e.set_mediation_type(v1::MEDIATION_TYPE_PEOPLES);
  if (type == v1::CASE_EVENT_TYPE_RESOLVE) {
    e.set_mediation_outcome(v1::MEDIATION_OUTCOME_AGREEMENT_WRITTEN);
  }
  return e;
}

TEST(CaseLoop, NoiseComplaintRunsTheWholeLoopToClose) {
  CaseLoop loop = Opened();
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_TRIAGED);
  EXPECT_EQ(loop.state().tier, v1::TIER_MEDIATOR);
  v1::CaseEvent assign = Ev(v1::CASE_EVENT_TYPE_ASSIGN, 10, "dispatcher");
  assign.set_assignee("m-0082");
  ASSERT_OK(loop.Record(assign));
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_ACCEPT, 40)));
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_CONTACT, 150)));
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_ARRIVE, 540)));
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_START_MEDIATION, 600)));
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_RESOLVE, 3600)));
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_GIVE_FEEDBACK, 3700)));
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_TRACK, 3800)));
  v1::CaseEvent revisit = Ev(v1::CASE_EVENT_TYPE_REVISIT, 3 * 86400, "m-0001");
  revisit.set_satisfied(true);
  ASSERT_OK(loop.Record(revisit));
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_CLOSE, 3 * 86400 + 60, "m-0001")));
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_CLOSED);
  EXPECT_EQ(loop.proto().assignee(), "m-0082");
  EXPECT_EQ(loop.proto().events_size(), 12);
  for (const v1::Deadline& d : loop.proto().deadlines()) EXPECT_TRUE(d.met()) << d.name();
  EXPECT_THAT(loop.Overdue(At(30 * 86400)), IsEmpty());
  // Every event records who, when, from, to.
  const v1::CaseEvent& arrive = loop.proto().events(5);
  EXPECT_EQ(arrive.seq(), 6);
  EXPECT_EQ(arrive.from_state(), v1::CASE_STATE_CONTACTED);
  EXPECT_EQ(arrive.to_state(), v1::CASE_STATE_ON_SITE);
  EXPECT_EQ(arrive.actor(), "m-0082");
  EXPECT_THAT(loop.proto().events(1).reason(), HasSubstr("noise-property-butler"));
}

TEST(CaseLoop, AnEventTheStateDoesNotAcceptNamesStateEventAndWhatIsAllowed) {
  CaseLoop loop = Opened();
  EXPECT_THAT(loop.Record(Ev(v1::CASE_EVENT_TYPE_CLOSE, 10)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("case \"c1\""), HasSubstr("state TRIAGED"),
                             HasSubstr("does not accept CLOSE"),
                             HasSubstr("it accepts ASSIGN, ESCALATE, CANCEL"))));
  EXPECT_EQ(loop.proto().events_size(), 2);  // unchanged
}

TEST(CaseLoop, TimeNeverRunsBackwards) {
  CaseLoop loop = Opened();
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_ASSIGN, 100)));
  EXPECT_THAT(loop.Record(Ev(v1::CASE_EVENT_TYPE_ACCEPT, 50)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("never runs backwards")));
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_ASSIGNED);
}

TEST(CaseLoop, UnsatisfiedRevisitReopensOnlyWithAReason) {
  CaseLoop loop = Opened();
  for (auto [type, t] :
       {std::pair(v1::CASE_EVENT_TYPE_ASSIGN, 10), std::pair(v1::CASE_EVENT_TYPE_ACCEPT, 20),
        std::pair(v1::CASE_EVENT_TYPE_START_MEDIATION, 30),
        std::pair(v1::CASE_EVENT_TYPE_RESOLVE, 40)}) {
    ASSERT_OK(loop.Record(Ev(type, t)));
  }
  v1::CaseEvent revisit = Ev(v1::CASE_EVENT_TYPE_REVISIT, 86400, "m-0001");
  revisit.set_satisfied(false);
  ASSERT_OK(loop.Record(revisit));
  EXPECT_THAT(loop.Record(Ev(v1::CASE_EVENT_TYPE_CLOSE, 86401)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("unsatisfied")));
  EXPECT_THAT(loop.Record(Ev(v1::CASE_EVENT_TYPE_REOPEN, 86402)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("needs a reason")));
  v1::CaseEvent reopen = Ev(v1::CASE_EVENT_TYPE_REOPEN, 86403);
  reopen.set_reason("楼上仍有噪音 (the noise goes on)");
  ASSERT_OK(loop.Record(reopen));
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_REOPENED);
  EXPECT_EQ(loop.state().reopens, 1);
}

TEST(CaseLoop, DepartmentReturnsADivertedMatterNamingWhoShouldTakeIt) {
  CaseLoop loop = Opened();
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_ASSIGN, 10)));
  v1::CaseEvent back = Ev(v1::CASE_EVENT_TYPE_RETURN, 20, "城管");
  back.set_refused_by(v1::DEPARTMENT_CITY_MANAGEMENT);
  back.set_should_go_to(v1::DEPARTMENT_HOUSING_CONSTRUCTION);
  EXPECT_THAT(loop.Record(back), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reason")));
  back.set_reason("电梯维修属住建 (lifts belong to housing)");
  ASSERT_OK(loop.Record(back));
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_RETURNED);
  EXPECT_EQ(loop.state().returns, 1);
  // The command room reviews the return (退单审核) and re-diverts to the department it named.
  v1::CaseEvent approve = Ev(v1::CASE_EVENT_TYPE_APPROVE_RETURN, 30, "指挥中心");
  approve.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
  ASSERT_OK(loop.Record(approve));
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_ASSIGNED);
  EXPECT_EQ(loop.proto().department(), v1::DEPARTMENT_HOUSING_CONSTRUCTION);
  EXPECT_EQ(loop.proto().events().rbegin()->department(), v1::DEPARTMENT_HOUSING_CONSTRUCTION);
}

TEST(CaseLoop, RapidResponseDeadlinesAreListedAndBreachesRecordedOnce) {
  CaseLoop loop = Opened();
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_ASSIGN, 10)));
  // Two minutes after the report: not accepted within 1 minute of the instruction (at 10 s);
  // contact (3 min) not yet due.
  std::vector<v1::Deadline> late = loop.Overdue(At(120));
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].name(), "accept");
  ASSERT_OK_AND_ASSIGN(int recorded, loop.RecordBreaches(At(120)));
  EXPECT_EQ(recorded, 1);
  EXPECT_EQ(loop.proto().events().rbegin()->type(), v1::CASE_EVENT_TYPE_SLA_BREACH);
  EXPECT_EQ(loop.proto().events().rbegin()->deadline(), "accept");
  ASSERT_OK_AND_ASSIGN(recorded, loop.RecordBreaches(At(130)));
  EXPECT_EQ(recorded, 0);
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_ASSIGNED);  // a breach changes no state
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_ACCEPT, 140)));
  EXPECT_THAT(loop.Overdue(At(150)), IsEmpty());
  // At 11 minutes contact and on-site are both late.
  EXPECT_EQ(loop.Overdue(At(660)).size(), 2u);
}

TEST(CaseLoop, ALateStepRecordsTheBreachBeforeIt) {
  CaseLoop loop = Opened();
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_ASSIGN, 10)));
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_ACCEPT, 75)));  // the 1-minute accept missed
  const auto& events = loop.proto().events();
  ASSERT_EQ(events.size(), 5);
  EXPECT_EQ(events[3].type(), v1::CASE_EVENT_TYPE_SLA_BREACH);
  EXPECT_EQ(events[3].deadline(), "accept");
  // When it fell due: a minute after the instruction (10 s), not after the report.
  EXPECT_EQ(events[3].at().seconds(), absl::ToUnixSeconds(At(70)));
  EXPECT_EQ(events[4].type(), v1::CASE_EVENT_TYPE_ACCEPT);
  EXPECT_TRUE(loop.proto().deadlines(0).met());
  EXPECT_TRUE(loop.proto().deadlines(0).breached());
  // A refused event leaves no breach behind.
  const int before = loop.proto().events_size();
  EXPECT_FALSE(loop.Record(Ev(v1::CASE_EVENT_TYPE_CLOSE, 4000)).ok());
  EXPECT_EQ(loop.proto().events_size(), before);
}

TEST(CaseLoop, RestoreKeepsTheTimersAndRefusesABrokenLog) {
  CaseLoop loop = Opened();
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_ASSIGN, 10)));
  ASSERT_OK_AND_ASSIGN(CaseLoop restored, CaseLoop::Restore(loop.proto()));
  EXPECT_EQ(restored.state(), loop.state());
  EXPECT_EQ(restored.Overdue(At(120)).size(), 1u);
  ASSERT_OK(restored.Record(Ev(v1::CASE_EVENT_TYPE_ACCEPT, 30)));

  v1::Case tampered = loop.proto();
  tampered.mutable_events(2)->set_to_state(v1::CASE_STATE_CLOSED);
  EXPECT_THAT(CaseLoop::Restore(tampered),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("event 3 records")));
  v1::Case gap = loop.proto();
  gap.mutable_events()->DeleteSubrange(1, 1);
  EXPECT_THAT(CaseLoop::Restore(gap), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("gap")));
}

TEST(CaseLoop, AMissedResolveDeadlineClimbsTheLadder) {
  CaseLoop loop = Opened();
  for (auto [type, t] :
       {std::pair(v1::CASE_EVENT_TYPE_ASSIGN, 10), std::pair(v1::CASE_EVENT_TYPE_ACCEPT, 20),
        std::pair(v1::CASE_EVENT_TYPE_START_MEDIATION, 30)}) {
    ASSERT_OK(loop.Record(Ev(type, t)));
  }
  ASSERT_OK_AND_ASSIGN(bool escalated, EscalateIfResolveOverdue(loop, At(2 * 86400)));
  EXPECT_FALSE(escalated);  // 3 days to resolve
  ASSERT_OK_AND_ASSIGN(escalated, EscalateIfResolveOverdue(loop, At(3 * 86400 + 60)));
  EXPECT_TRUE(escalated);
  EXPECT_EQ(loop.state().state, v1::CASE_STATE_ESCALATED);
  EXPECT_EQ(loop.state().tier, v1::TIER_COMMUNITY_POLICE);  // mediator -> community police
  const auto& events = loop.proto().events();
  EXPECT_EQ(events[events.size() - 2].type(), v1::CASE_EVENT_TYPE_SLA_BREACH);
  EXPECT_EQ(events[events.size() - 2].deadline(), "resolve");
  EXPECT_THAT(events[events.size() - 1].reason(), HasSubstr("逾期未办结"));
  // Waiting for assignment, the case does not escalate again.
  ASSERT_OK_AND_ASSIGN(escalated, EscalateIfResolveOverdue(loop, At(4 * 86400)));
  EXPECT_FALSE(escalated);
}

TEST(CaseLoop, OpenRefusesADecisionThatRoutedNowhere) {
  v1::Incident incident;
  incident.set_id("x");
  EXPECT_THAT(CaseLoop::Open(incident, v1::Decision(), kReported, "110"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no rule")));
}

TEST(CaseLoop, TransitionTableExportsAsDotAndMermaid) {
  EXPECT_THAT(TransitionTableDot(), HasSubstr("REVISITED -> REOPENED [label=\"REOPEN\"]"));
  EXPECT_THAT(TransitionTableMermaid(), HasSubstr("[*] --> REPORTED: REPORT"));
}

// Property: for random valid event sequences (escalations on and off the ladder, returns,
// reviews and arbitration, mediations with their outcomes, revisits, breaches), replaying the log
// gives the case built step by step — the state and every field of the case — and every prefix
// of the log is itself a valid case.
TEST(CaseLoopProperty, ReplayEqualsStepByStepAndEveryPrefixIsValid) {
  std::mt19937_64 rng(20261123);
  const v1::Tier tiers[] = {v1::TIER_MEDIATOR, v1::TIER_COMMUNITY_POLICE, v1::TIER_JOINT_MEDIATION,
                            v1::TIER_COURT_REFERRAL, v1::TIER_LAWYER};
  const v1::Department departments[] = {v1::DEPARTMENT_COMMUNITY, v1::DEPARTMENT_CITY_MANAGEMENT,
                                        v1::DEPARTMENT_HOUSING_CONSTRUCTION};
  int longest = 0, closed = 0, overrides = 0, arbitrated = 0, returns = 0, co_done = 0;
  std::map<v1::ConsultationOutcome, int> consulted;
  int resumed = 0, extended = 0, tampered_refused = 0, tampered_kept = 0, set_aside = 0, upheld = 0,
      merged = 0;
  std::map<v1::SupervisionStep, int> supervised;
  std::map<v1::LinkageMode, int> transferred;
  for (int run = 0; run < 2000; ++run) {
    CaseLoopOptions options;
    options.max_returns = static_cast<int>(rng() % 3);
    options.supervision_after_rounds = static_cast<int>(1 + rng() % 2);
    if (rng() % 2 == 0) {
      options.tier_sla[v1::TIER_JOINT_MEDIATION].mutable_resolve()->set_seconds(15 * 86400);
    }
    v1::Incident incident;
    incident.set_id("c1");
    // Received by 110, by 12345 or by neither (a grid worker's find).
    const v1::Channel channels[] = {v1::CHANNEL_CALL_110, v1::CHANNEL_HOTLINE_12345,
                                    v1::CHANNEL_GRID_PATROL};
    incident.set_channel(channels[run % 3]);
    ASSERT_OK_AND_ASSIGN(CaseLoop loop,
                         CaseLoop::Open(incident, MediatorDecision(), kReported, "110", options));
    int t = 0;
    for (int step = 0; step < 40 && !IsTerminal(loop.state().state); ++step) {
      std::vector<v1::CaseEventType> allowed = AllowedEvents(loop.state().state);
      ASSERT_FALSE(allowed.empty());
      const v1::CaseEventType type = allowed[rng() % allowed.size()];
      t += static_cast<int>(rng() % 3600);
      const std::string handler = absl::StrCat("m-", rng() % 4);
      v1::CaseEvent e = Ev(type, t, type == v1::CASE_EVENT_TYPE_REVISIT ? "revisitor" : handler);
      e.set_reason("reason");
      e.set_satisfied(rng() % 2 == 0);
      switch (type) {
        case v1::CASE_EVENT_TYPE_TRIAGE:
          e.set_tier(tiers[rng() % 5]);
          break;
        case v1::CASE_EVENT_TYPE_ESCALATE:
        case v1::CASE_EVENT_TYPE_MEDIATION_FAILED:
          e.set_escalation_reason(static_cast<v1::EscalationReason>(1 + rng() % 4));
          if (type == v1::CASE_EVENT_TYPE_MEDIATION_FAILED) e.clear_escalation_reason();
          if (rng() % 4 == 0) {  // 越级 by the 所长
            e.set_tier(tiers[rng() % 5]);
            e.set_override_reason("当事人情绪激动");
            e.set_actor_role(v1::ACTOR_ROLE_STATION_CHIEF);
          }
          break;
        case v1::CASE_EVENT_TYPE_ASSIGN:
          e.set_assignee(handler);
          if (rng() % 3 == 0) e.mutable_feedback_within()->set_seconds(86400);
          break;
        case v1::CASE_EVENT_TYPE_RETURN:
          e.set_refused_by(departments[rng() % 3]);
          e.set_should_go_to(departments[rng() % 3]);
          break;
        case v1::CASE_EVENT_TYPE_APPROVE_RETURN:
        case v1::CASE_EVENT_TYPE_REJECT_RETURN:
        case v1::CASE_EVENT_TYPE_ARBITRATE:
          e.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
          if (type == v1::CASE_EVENT_TYPE_ARBITRATE) e.set_department(departments[rng() % 3]);
          break;
        case v1::CASE_EVENT_TYPE_RESOLVE:
          if (loop.state().state != v1::CASE_STATE_IN_MEDIATION) e.clear_mediation_outcome();
          break;
        case v1::CASE_EVENT_TYPE_SLA_BREACH:
          e.set_deadline("resolve");
          break;
        case v1::CASE_EVENT_TYPE_ADD_CO_HANDLER:  // 警律联调: the lawyer on duty joins
          e.set_co_handler(absl::StrCat("l-", rng() % 2));
          if (rng() % 2 == 0) e.mutable_sla()->mutable_accept()->set_seconds(600);
          break;
        case v1::CASE_EVENT_TYPE_CO_HANDLER_ACCEPT:
        case v1::CASE_EVENT_TYPE_CO_HANDLER_DONE:
          e.set_actor(absl::StrCat("l-", rng() % 2));
          break;
        case v1::CASE_EVENT_TYPE_REQUEST_EXTENSION:  // 延期: sometimes beyond the cap
          e.set_extension_working_days(static_cast<int>(rng() % 5));
          break;
        case v1::CASE_EVENT_TYPE_APPROVE_EXTENSION:
        case v1::CASE_EVENT_TYPE_REJECT_EXTENSION:
          e.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
          e.set_party_notified(rng() % 4 != 0);
          break;
        case v1::CASE_EVENT_TYPE_CONSULT:  // the "512" meeting, mostly at its time
          e.set_consultation_outcome(static_cast<v1::ConsultationOutcome>(1 + rng() % 3));
          if (loop.proto().has_consultation() && rng() % 4 != 0) {
            t = std::max<int>(t, loop.proto().consultation().meeting_at().seconds() -
                                     absl::ToUnixSeconds(kReported));
            e.mutable_at()->set_seconds(absl::ToUnixSeconds(kReported) + t);
          }
          if (e.consultation_outcome() == v1::CONSULTATION_OUTCOME_ASSIGNED) {
            e.set_assignee(handler);
            e.mutable_sla()->mutable_resolve()->set_seconds(7 * 86400);
          }
          if (loop.state().state != v1::CASE_STATE_IN_MEDIATION) e.clear_mediation_outcome();
          break;
        case v1::CASE_EVENT_TYPE_SUPERVISE:  // 督办, often past the holder's due date
          e.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
          e.set_supervision_step(static_cast<v1::SupervisionStep>(1 + rng() % 4));
          if (loop.proto().supervision().rounds() >= options.supervision_after_rounds &&
              rng() % 2 == 0) {
            e.set_supervision_step(v1::SUPERVISION_STEP_ESCALATED);  // the rounds are done
          }
          for (const v1::Deadline& d : loop.proto().deadlines()) {
            if (d.name() == "resolve" && !d.met() && rng() % 2 == 0) {
              t = std::max<int>(t, d.due().seconds() - absl::ToUnixSeconds(kReported) +
                                       static_cast<int>(rng() % (12 * 86400)));
              e.mutable_at()->set_seconds(absl::ToUnixSeconds(kReported) + t);
            }
          }
          break;
        case v1::CASE_EVENT_TYPE_TRANSFER_PLATFORM:  // 110 ↔ 12345, each way and each mode
          e.set_platform(static_cast<v1::Platform>(1 + rng() % 2));
          e.set_linkage(static_cast<v1::LinkageMode>(1 + rng() % 3));
          if (const auto& log = loop.proto().events();
              log.rbegin()->type() == v1::CASE_EVENT_TYPE_THREE_WAY_CALL &&
              log.rbegin()->platform() != v1::PLATFORM_UNSPECIFIED && rng() % 2 == 0) {
            e.set_platform(log.rbegin()->platform());  // as the call agreed
            e.set_linkage(v1::LINKAGE_MODE_AFTER_CALL);
          }
          break;
        case v1::CASE_EVENT_TYPE_THREE_WAY_CALL:  // agreed on one, or on none
          e.set_platform(static_cast<v1::Platform>(rng() % 3));
          break;
        case v1::CASE_EVENT_TYPE_REVIEW_RATING:  // 差评甄别: set aside or upheld
          e.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
          e.set_rating_set_aside(rng() % 2 == 0);
          break;
        case v1::CASE_EVENT_TYPE_CLOSE:  // 不满意办结 is the command room's, after a redo
          if (rng() % 2 == 0) e.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
          break;
        case v1::CASE_EVENT_TYPE_MERGE: {  // 并单: the same duplicate twice is refused
          if (rng() % 5 != 0) e.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
          const std::string dup = absl::StrCat("d-", rng() % 3);
          e.set_merged_case_id(dup);
          e.add_merged_requests()->set_id(dup);
          break;
        }
        case v1::CASE_EVENT_TYPE_MARK_DUPLICATE:
          if (rng() % 2 == 0) e.set_duplicate_of("c0");
          break;
        default:
          break;
      }
      const LoopState before = loop.state();
      const std::string before_case = loop.proto().SerializeAsString();
      absl::Status s = loop.Record(e);
      if (!s.ok()) {
        // CLOSE and REOPEN depend on the revisit's answer, RETURN on arbitration, an escalation
        // on the ladder's top, a co-handler's steps on its having joined, a paused case takes
        // only RESUME, the extension steps on the caps and a pending request; nothing else that
        // the state allows is refused.
        if (type == v1::CASE_EVENT_TYPE_REQUEST_EXTENSION ||
            type == v1::CASE_EVENT_TYPE_APPROVE_EXTENSION) {
          ASSERT_TRUE(s.code() == absl::StatusCode::kFailedPrecondition ||
                      s.code() == absl::StatusCode::kInvalidArgument)
              << s;
          ASSERT_EQ(loop.state(), before);
          ASSERT_EQ(loop.proto().SerializeAsString(), before_case);
          continue;
        }
        ASSERT_TRUE(before.paused || type == v1::CASE_EVENT_TYPE_RESUME ||
                    type == v1::CASE_EVENT_TYPE_REJECT_EXTENSION ||
                    type == v1::CASE_EVENT_TYPE_CLOSE || type == v1::CASE_EVENT_TYPE_REOPEN ||
                    type == v1::CASE_EVENT_TYPE_RETURN || type == v1::CASE_EVENT_TYPE_ESCALATE ||
                    type == v1::CASE_EVENT_TYPE_MEDIATION_FAILED ||
                    type == v1::CASE_EVENT_TYPE_ADD_CO_HANDLER ||
                    type == v1::CASE_EVENT_TYPE_CO_HANDLER_ACCEPT ||
                    type == v1::CASE_EVENT_TYPE_CO_HANDLER_DONE ||
                    type == v1::CASE_EVENT_TYPE_CONSULT || type == v1::CASE_EVENT_TYPE_SUPERVISE ||
                    type == v1::CASE_EVENT_TYPE_TRANSFER_PLATFORM ||
                    type == v1::CASE_EVENT_TYPE_THREE_WAY_CALL ||
                    type == v1::CASE_EVENT_TYPE_REVIEW_RATING || type == v1::CASE_EVENT_TYPE_MERGE)
            << s;
        ASSERT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
        ASSERT_EQ(loop.state(), before);
        ASSERT_EQ(loop.proto().SerializeAsString(), before_case);
      } else if (type == v1::CASE_EVENT_TYPE_CONSULT) {
        ++consulted[e.consultation_outcome()];
      } else if (type == v1::CASE_EVENT_TYPE_RESUME) {
        ++resumed;
      } else if (type == v1::CASE_EVENT_TYPE_APPROVE_EXTENSION) {
        ++extended;
      } else if (type == v1::CASE_EVENT_TYPE_SUPERVISE) {
        ++supervised[e.supervision_step()];
      } else if (type == v1::CASE_EVENT_TYPE_TRANSFER_PLATFORM) {
        ++transferred[e.linkage()];
      } else if (type == v1::CASE_EVENT_TYPE_REVIEW_RATING) {
        ++(e.rating_set_aside() ? set_aside : upheld);
      } else if (type == v1::CASE_EVENT_TYPE_MERGE) {
        ++merged;
      }
    }
    closed += loop.state().state == v1::CASE_STATE_CLOSED ? 1 : 0;
    overrides += loop.state().overrides;
    arbitrated += loop.state().arbitrated ? 1 : 0;
    returns += loop.state().returns;
    for (const v1::CoHandler& co : loop.proto().co_handlers()) co_done += co.has_done_at() ? 1 : 0;
    longest = std::max(longest, loop.proto().events_size());
    ASSERT_OK_AND_ASSIGN(CaseLoop replayed, CaseLoop::Restore(loop.proto(), options));
    ASSERT_EQ(replayed.state(), loop.state());
    ASSERT_EQ(replayed.proto().SerializeAsString(), loop.proto().SerializeAsString())
        << "live:\n"
        << loop.proto().DebugString() << "replayed:\n"
        << replayed.proto().DebugString();
    // The in-place check a store makes on Save replays to the same state, prefix by prefix.
    const auto shared = std::make_shared<const CaseLoopOptions>(options);
    ASSERT_OK_AND_ASSIGN(LoopState in_place, CaseLoop::ReplayState(loop.proto(), shared));
    ASSERT_EQ(in_place, loop.state());
    for (int n = 1; n < loop.proto().events_size(); ++n) {
      v1::Case prefix = loop.proto();
      prefix.mutable_events()->DeleteSubrange(n, prefix.events_size() - n);
      ASSERT_OK_AND_ASSIGN(CaseLoop restored, CaseLoop::Restore(prefix, options));
      ASSERT_OK_AND_ASSIGN(LoopState prefix_state, CaseLoop::ReplayState(prefix, shared));
      ASSERT_EQ(prefix_state, restored.state());
    }
    // A log changed in one field of one event: Restore and the in-place check agree, on the
    // state or on the refusal (the same code and words).
    std::mt19937_64 tamper_rng(static_cast<uint64_t>(run));  // apart: the cases stay the same
    for (int k = 0; k < 8; ++k) {
      v1::Case tampered = loop.proto();
      v1::CaseEvent& e =
          *tampered.mutable_events(static_cast<int>(tamper_rng() % tampered.events_size()));
      switch (tamper_rng() % 8) {
        case 0:
          e.set_type(static_cast<v1::CaseEventType>(tamper_rng() % 40));  // unknown numbers too
          break;
        case 1:
          e.mutable_at()->set_seconds(e.at().seconds() -
                                      static_cast<int64_t>(tamper_rng() % 90000));
          break;
        case 2:
          e.set_to_state(static_cast<v1::CaseState>(tamper_rng() % 16));
          break;
        case 3:
          e.set_seq(e.seq() + 1);
          break;
        case 4: {
          // The handler revisits its own work: the actor of the last resolution before it.
          std::string resolver = loop.proto().assignee();
          for (int j = 0; j < tampered.events_size() && &tampered.events(j) != &e; ++j) {
            if (tampered.events(j).type() == v1::CASE_EVENT_TYPE_RESOLVE) {
              resolver = tampered.events(j).actor();
            }
          }
          e.set_actor(resolver);
          e.set_co_handler(resolver);
          break;
        }
        case 5:
          e.set_satisfied(!e.satisfied());
          break;
        case 6: {
          // More days than the request asked for (or fewer than none).
          int asked = 0;
          for (int j = 0; j < tampered.events_size() && &tampered.events(j) != &e; ++j) {
            if (tampered.events(j).type() == v1::CASE_EVENT_TYPE_REQUEST_EXTENSION) {
              asked = tampered.events(j).extension_working_days();
            }
          }
          e.set_extension_working_days(
              tamper_rng() % 4 == 0 ? -1 : asked + static_cast<int>(tamper_rng() % 3));
          break;
        }
        default:
          e.set_supervision_step(static_cast<v1::SupervisionStep>(tamper_rng() % 6));
          break;
      }
      absl::StatusOr<CaseLoop> restored = CaseLoop::Restore(tampered, options);
      absl::StatusOr<LoopState> checked = CaseLoop::ReplayState(tampered, shared);
      ASSERT_EQ(restored.ok(), checked.ok()) << restored.status() << " / " << checked.status();
      if (restored.ok()) {
        ASSERT_EQ(restored->state(), *checked);
        ++tampered_kept;
      } else {
        ++tampered_refused;
        ASSERT_EQ(restored.status(), checked.status());
      }
    }
  }
  EXPECT_GT(closed, 0);
  EXPECT_GT(overrides, 0);
  EXPECT_GT(arbitrated, 0);
  EXPECT_GT(returns, 0);
  EXPECT_GT(co_done, 0);
  EXPECT_GT(longest, 10);
  EXPECT_GT(resumed, 0);
  EXPECT_GT(extended, 0);
  EXPECT_GT(set_aside, 0);
  EXPECT_GT(upheld, 0);
  EXPECT_GT(merged, 0);
  EXPECT_GT(tampered_refused, 1000);
  EXPECT_GT(tampered_kept, 1000);
  for (int o = 1; o < v1::ConsultationOutcome_ARRAYSIZE; ++o) {
    EXPECT_GT(consulted[static_cast<v1::ConsultationOutcome>(o)], 0)
        << v1::ConsultationOutcome_Name(o);
  }
  for (int how = 1; how < v1::LinkageMode_ARRAYSIZE; ++how) {
    EXPECT_GT(transferred[static_cast<v1::LinkageMode>(how)], 0) << v1::LinkageMode_Name(how);
  }
  for (int step = 1; step < v1::SupervisionStep_ARRAYSIZE; ++step) {
    EXPECT_GT(supervised[static_cast<v1::SupervisionStep>(step)], 0)
        << v1::SupervisionStep_Name(step);
  }
}

TEST(CaseLoop, AsOfGivesTheCaseAsItStoodThenFromItsStoredLog) {
  CaseLoop loop = Opened();
  v1::CaseEvent assign = Ev(v1::CASE_EVENT_TYPE_ASSIGN, 60, "dispatcher");
  assign.set_assignee("m-0082");
  ASSERT_OK(loop.Record(assign));
  ASSERT_OK(loop.Record(Ev(v1::CASE_EVENT_TYPE_ACCEPT, 100)));
  v1::CaseEvent reassign = Ev(v1::CASE_EVENT_TYPE_ESCALATE, 4000, "所长");
  reassign.set_escalation_reason(v1::ESCALATION_REASON_PARTY_REQUEST);
  ASSERT_OK(loop.Record(reassign));
  // Between the acceptance and the escalation: accepted by m-0082, its contact clock running
  // (due 3 minutes after the instruction) and overdue an hour later.
  ASSERT_OK_AND_ASSIGN(v1::Case then, CaseLoop::AsOf(loop.proto(), At(3600), nullptr));
  EXPECT_EQ(then.state(), v1::CASE_STATE_ACCEPTED);
  EXPECT_EQ(then.assignee(), "m-0082");
  // REPORT, TRIAGE, ASSIGN, ACCEPT and the breaches of the contact and on-site clocks, dated
  // when they fell due (recorded later, before the escalation).
  EXPECT_EQ(then.events_size(), 6);
  ASSERT_OK_AND_ASSIGN(CaseLoop restored, CaseLoop::Restore(then));
  EXPECT_FALSE(restored.Overdue(At(3600)).empty());
  // At the last event and after it: the case as stored.
  ASSERT_OK_AND_ASSIGN(v1::Case now, CaseLoop::AsOf(loop.proto(), At(9000), nullptr));
  EXPECT_EQ(now.SerializeAsString(), loop.proto().SerializeAsString());
  EXPECT_THAT(CaseLoop::AsOf(loop.proto(), kReported - absl::Seconds(1), nullptr),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not yet reported")));
  // A log that does not replay is DataLoss, as Restore says.
  v1::Case tampered = loop.proto();
  tampered.mutable_events(3)->set_seq(9);
  EXPECT_THAT(CaseLoop::AsOf(tampered, At(3600), nullptr),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("seq")));
}

}  // namespace
}  // namespace fengqiao
