#include "fengqiao/mediation/consultation_calendar.h"
#include "fengqiao/mediation/handler_choice.h"
#include "fengqiao/mediation/ladder.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/sample_district.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::StatusIs;
using ::testing::Contains;
using ::testing::HasSubstr;

const absl::TimeZone kChina = absl::FixedTimeZone(8 * 3600);

// A second police officer, based in grid g11 itself, on duty Wednesday 08:00-20:00.
constexpr char kCop3InG11[] =
    "members { id: \"cop3\" name: \"cop3\" force_type: FORCE_TYPE_POLICE home_area_code: "
    "\"g11\" skills: DISPUTE_TYPE_NOISE shifts { day: WEEKDAY_WEDNESDAY start_minute: 480 "
    "end_minute: 1200 } open_cases: 0 capacity: 10 }\n";
absl::Time Local(int month, int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilMinute(2026, month, day, hour, minute), kChina);
}

TEST(Ladder, FailedMediationClimbsOneTierAtATime) {
  EXPECT_EQ(*NextTier(v1::TIER_MEDIATOR, EscalationReason::kMediationFailed),
            v1::TIER_COMMUNITY_POLICE);
  EXPECT_EQ(*NextTier(v1::TIER_COMMUNITY_POLICE, EscalationReason::kMediationFailed),
            v1::TIER_JOINT_MEDIATION);
  EXPECT_EQ(*NextTier(v1::TIER_JOINT_MEDIATION, EscalationReason::kPartyRequest),
            v1::TIER_COURT_REFERRAL);
  EXPECT_EQ(*NextTier(v1::TIER_LAWYER, EscalationReason::kDeadlineBreach),
            v1::TIER_JOINT_MEDIATION);
}

TEST(Ladder, ViolenceRiskGoesStraightToPoliceFromAnyTier) {
  for (v1::Tier t : {v1::TIER_MEDIATOR, v1::TIER_JOINT_MEDIATION, v1::TIER_COURT_REFERRAL}) {
    EXPECT_EQ(*NextTier(t, EscalationReason::kRiskFlag), v1::TIER_POLICE_DISPATCH);
  }
}

TEST(Ladder, TheTopOfTheLadderCannotEscalate) {
  EXPECT_THAT(NextTier(v1::TIER_COURT_REFERRAL, EscalationReason::kMediationFailed),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("top of the ladder")));
  EXPECT_THAT(NextTier(v1::TIER_UNSPECIFIED, EscalationReason::kPartyRequest),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unspecified")));
}

TEST(ConsultationCalendar, WhatACommunityCannotCloseWaitsForMondaysStreetConsultation) {
  ConsultationCalendar calendar({});
  // Wednesday 2026-10-14 10:00.
  ASSERT_OK_AND_ASSIGN(Consultation street,
                       calendar.NextAbove(v1::AREA_LEVEL_COMMUNITY, Local(10, 14, 10)));
  EXPECT_EQ(street.level, v1::AREA_LEVEL_STREET);
  EXPECT_EQ(street.at, Local(10, 19, 9));  // Monday 09:00
  ASSERT_OK_AND_ASSIGN(Consultation district,
                       calendar.NextAbove(v1::AREA_LEVEL_STREET, Local(10, 14, 10)));
  EXPECT_EQ(district.level, v1::AREA_LEVEL_DISTRICT);
  EXPECT_EQ(district.at, Local(10, 20, 9));  // Tuesday 09:00
  ASSERT_OK_AND_ASSIGN(Consultation walk, calendar.Next(v1::AREA_LEVEL_GRID, Local(10, 14, 10)));
  EXPECT_EQ(walk.at, Local(10, 16, 9));  // Friday walk
}

TEST(ConsultationCalendar, AMeetingNotYetStartedTodayCountsOneAlreadyStartedDoesNot) {
  ConsultationCalendar calendar({});
  EXPECT_EQ(calendar.Next(v1::AREA_LEVEL_STREET, Local(10, 19, 8))->at, Local(10, 19, 9));
  EXPECT_EQ(calendar.Next(v1::AREA_LEVEL_STREET, Local(10, 19, 9))->at, Local(10, 19, 9));
  EXPECT_EQ(calendar.Next(v1::AREA_LEVEL_STREET, Local(10, 19, 9, 30))->at, Local(10, 26, 9));
}

TEST(ConsultationCalendar, EveryRoutedTierIsHeldAtALevelWithAMeetingAboveIt) {
  // Community tiers wait for the street's Monday meeting, street tiers for the district's
  // Tuesday; court referral is the district's own. Every tier the proto defines is placed.
  const absl::Time now = Local(10, 14, 10);
  ConsultationCalendar calendar({});
  for (int t = v1::Tier_MIN; t <= v1::Tier_MAX; ++t) {
    if (!v1::Tier_IsValid(t)) continue;
    const v1::Tier tier = static_cast<v1::Tier>(t);
    const v1::AreaLevel level = HandlingLevel(tier);
    if (tier == v1::TIER_UNSPECIFIED) {
      EXPECT_EQ(level, v1::AREA_LEVEL_UNSPECIFIED);
      continue;
    }
    EXPECT_NE(level, v1::AREA_LEVEL_UNSPECIFIED) << v1::Tier_Name(tier);
    if (level != v1::AREA_LEVEL_DISTRICT) {
      EXPECT_OK(calendar.NextAbove(level, now));
    }
  }
  EXPECT_EQ(HandlingLevel(v1::TIER_MEDIATOR), v1::AREA_LEVEL_COMMUNITY);
  EXPECT_EQ(HandlingLevel(v1::TIER_LAWYER), v1::AREA_LEVEL_COMMUNITY);
  EXPECT_EQ(HandlingLevel(v1::TIER_JOINT_MEDIATION), v1::AREA_LEVEL_STREET);
  EXPECT_EQ(HandlingLevel(v1::TIER_DEPARTMENT_DIVERSION), v1::AREA_LEVEL_STREET);
  EXPECT_EQ(HandlingLevel(v1::TIER_COURT_REFERRAL), v1::AREA_LEVEL_DISTRICT);
}

TEST(ConsultationCalendar, DaysAndHourAreConfigurable) {
  ConsultationCalendarOptions options;
  options.street_day = absl::Weekday::thursday;
  options.hour = 14;
  ConsultationCalendar calendar(options);
  EXPECT_EQ(calendar.NextAbove(v1::AREA_LEVEL_COMMUNITY, Local(10, 14, 10))->at, Local(10, 15, 14));
  EXPECT_THAT(calendar.NextAbove(v1::AREA_LEVEL_DISTRICT, Local(10, 14, 10)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("AREA_LEVEL_DISTRICT")));
  options.hour = 25;
  EXPECT_THAT(ConsultationCalendar(options).Next(v1::AREA_LEVEL_STREET, Local(10, 14, 10)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("25")));
}

class HandlerChoiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(map_, GridMap::Parse(testing::TinyGridMapText(), "tiny.textproto"));
    ASSERT_OK_AND_ASSIGN(roster_,
                         Roster::Parse(testing::TinyRosterText(), "roster.textproto", map_));
    selector_ = std::make_unique<CandidateSelector>(roster_, CandidateSelectorOptions{});
  }
  v1::Incident Noise() {
    v1::Incident i;
    i.set_id("n1");
    i.set_kind(v1::INCIDENT_KIND_DISPUTE);
    i.set_dispute_type(v1::DISPUTE_TYPE_NOISE);
    i.set_grid_code("g11");
    i.set_found_by_member_id("gw11");
    return i;
  }
  v1::Decision To(v1::Tier tier, v1::ForceType force = v1::FORCE_TYPE_UNSPECIFIED) {
    v1::Decision d;
    d.set_rule_id("r");
    d.mutable_action()->set_tier(tier);
    d.mutable_action()->set_target_force_type(force);
    return d;
  }
  std::shared_ptr<const GridMap> map_;
  std::shared_ptr<const Roster> roster_;
  std::unique_ptr<CandidateSelector> selector_;
};

TEST_F(HandlerChoiceTest, TheGridWorkerWhoFoundItDoesNotMediateIt) {
  v1::Decision d = To(v1::TIER_MEDIATOR, v1::FORCE_TYPE_GRID_WORKER);
  ASSERT_OK_AND_ASSIGN(HandlerChoice choice,
                       ChooseHandler(*selector_, Noise(), d, Local(11, 25, 10)));
  EXPECT_EQ(choice.member_id, "");
  EXPECT_THAT(choice.shortfall, HasSubstr("found the dispute"));
  HandlerChoiceOptions allow;
  allow.separate_finder = false;
  allow.screening_forces = {};  // a deployment where grid workers also handle
  ASSERT_OK_AND_ASSIGN(choice, ChooseHandler(*selector_, Noise(), d, Local(11, 25, 10), allow));
  EXPECT_EQ(choice.member_id, "gw11");
}

TEST_F(HandlerChoiceTest, ScreeningRolesFindDisputesButNeverHandleThem) {
  v1::Incident found_by_a_neighbour = Noise();
  found_by_a_neighbour.set_found_by_member_id("lead1");
  // Even a decision that asks for grid workers gets none: they screen, the station dispatches.
  ASSERT_OK_AND_ASSIGN(
      HandlerChoice choice,
      ChooseHandler(*selector_, found_by_a_neighbour,
                    To(v1::TIER_MEDIATOR, v1::FORCE_TYPE_GRID_WORKER), Local(11, 25, 10)));
  EXPECT_EQ(choice.member_id, "");
  EXPECT_THAT(choice.shortfall, HasSubstr("screens and finds, does not handle"));
  // Without a target force, the best-ranked member is never the grid worker (who is skilled in
  // noise and based in the grid, so would rank first).
  CandidateRequest open;
  open.dispute_type = v1::DISPUTE_TYPE_NOISE;
  open.grid_code = "g11";
  open.at = Local(11, 25, 10);
  ASSERT_OK_AND_ASSIGN(CandidateList unscreened, selector_->Candidates(open));
  ASSERT_FALSE(unscreened.candidates.empty());
  EXPECT_EQ(unscreened.candidates[0].member_id(), "gw11");
  open.screening_force_types = HandlerChoiceOptions().screening_forces;
  ASSERT_OK_AND_ASSIGN(CandidateList screened, selector_->Candidates(open));
  ASSERT_FALSE(screened.candidates.empty());
  EXPECT_NE(screened.candidates[0].member_id(), "gw11");
  bool excluded_as_screening = false;
  for (const v1::Exclusion& e : screened.excluded) {
    excluded_as_screening |=
        e.member_id() == "gw11" && e.reason() == v1::CANDIDATE_REASON_SCREENING_ROLE;
  }
  EXPECT_TRUE(excluded_as_screening);
}

TEST_F(HandlerChoiceTest, TheGridsOwnPoliceOfficerIsFirstForPoliceWorkInTheGrid) {
  // A second day-shift officer based in the grid itself would outrank the community's 警格
  // officer (cop1) on proximity; the four-grid team puts cop1 first, and says why.
  const std::string roster_text = absl::StrCat(testing::TinyRosterText(), kCop3InG11);
  ASSERT_OK_AND_ASSIGN(auto roster, Roster::Parse(roster_text, "roster.textproto", map_));
  CandidateSelector selector(roster, CandidateSelectorOptions{});
  const absl::Time wednesday_morning = Local(10, 14, 10);
  ASSERT_OK_AND_ASSIGN(
      HandlerChoice choice,
      ChooseHandler(selector, Noise(), To(v1::TIER_COMMUNITY_POLICE), wednesday_morning));
  ASSERT_GE(choice.candidates.size(), 2u);
  EXPECT_EQ(choice.member_id, "cop1");
  EXPECT_THAT(choice.candidates[0].reasons(), Contains(v1::CANDIDATE_REASON_POLICE_GRID_OFFICER));
  EXPECT_EQ(choice.candidates[1].member_id(), "cop3");
  // Configurable per deployment: without it, proximity decides.
  HandlerChoiceOptions by_proximity;
  by_proximity.police_grid_officer_first = false;
  ASSERT_OK_AND_ASSIGN(choice, ChooseHandler(selector, Noise(), To(v1::TIER_COMMUNITY_POLICE),
                                             wednesday_morning, by_proximity));
  EXPECT_EQ(choice.member_id, "cop3");
  // Mediation work is not police work: the officer is not preferred for it.
  ASSERT_OK_AND_ASSIGN(choice, ChooseHandler(selector, Noise(),
                                             To(v1::TIER_MEDIATOR, v1::FORCE_TYPE_PROPERTY_MANAGER),
                                             wednesday_morning));
  EXPECT_EQ(choice.member_id, "pm11");
}

TEST_F(HandlerChoiceTest, PoliceLawyerJointMediationPairsTheLawyerOnDutyWithTheGridsOfficerOnDuty) {
  // 警律联调: the lawyer on duty leads; the co-handler (协办) is the police officer on duty, the
  // grid's own 警格 officer first; the duty rota is the roster's shifts.
  const std::string roster_text = absl::StrCat(
      testing::TinyRosterText(),
      "members { id: \"law1\" name: \"law1\" force_type: FORCE_TYPE_LAWYER home_area_code: "
      "\"s1\" skills: DISPUTE_TYPE_NOISE shifts { day: WEEKDAY_WEDNESDAY start_minute: 540 "
      "end_minute: 1020 } open_cases: 0 capacity: 6 }\n",
      kCop3InG11);
  ASSERT_OK_AND_ASSIGN(auto roster, Roster::Parse(roster_text, "roster.textproto", map_));
  CandidateSelector selector(roster, CandidateSelectorOptions{});
  const absl::Time wednesday_morning = Local(10, 14, 10);
  ASSERT_OK_AND_ASSIGN(HandlerChoice lead,
                       ChooseHandler(selector, Noise(), To(v1::TIER_LAWYER), wednesday_morning));
  EXPECT_EQ(lead.member_id, "law1");
  ASSERT_OK_AND_ASSIGN(HandlerChoice co, ChooseCoHandler(selector, Noise(), v1::FORCE_TYPE_POLICE,
                                                         lead.member_id, wednesday_morning));
  EXPECT_EQ(co.member_id, "cop1");
  EXPECT_THAT(co.candidates[0].reasons(), Contains(v1::CANDIDATE_REASON_POLICE_GRID_OFFICER));
  // The lead is never its own co-handler.
  ASSERT_OK_AND_ASSIGN(
      co, ChooseCoHandler(selector, Noise(), v1::FORCE_TYPE_POLICE, "cop1", wednesday_morning));
  EXPECT_EQ(co.member_id, "cop3");
  for (const v1::Candidate& c : co.candidates) EXPECT_NE(c.member_id(), "cop1");
  // At night the officer on the night shift.
  ASSERT_OK_AND_ASSIGN(
      co, ChooseCoHandler(selector, Noise(), v1::FORCE_TYPE_POLICE, "law1", Local(10, 15, 2)));
  EXPECT_EQ(co.member_id, "cop2");
  // Nobody of the force on duty: the shortfall says so.
  ASSERT_OK_AND_ASSIGN(
      co, ChooseCoHandler(selector, Noise(), v1::FORCE_TYPE_LAWYER, "", Local(10, 15, 2)));
  EXPECT_EQ(co.member_id, "");
  EXPECT_THAT(co.shortfall, HasSubstr("nobody available"));
  EXPECT_THAT(
      ChooseCoHandler(selector, Noise(), static_cast<v1::ForceType>(99), "", Local(10, 15, 2)),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("99")));
}

TEST_F(HandlerChoiceTest, TheDecisionsTargetForceChoosesThePropertyButler) {
  ASSERT_OK_AND_ASSIGN(
      HandlerChoice choice,
      ChooseHandler(*selector_, Noise(), To(v1::TIER_MEDIATOR, v1::FORCE_TYPE_PROPERTY_MANAGER),
                    Local(11, 25, 10)));
  EXPECT_EQ(choice.member_id, "pm11");
  EXPECT_EQ(choice.shortfall, "");
}

TEST_F(HandlerChoiceTest, ATierWithoutTargetUsesItsDefaultForceAndSaysWhenNobodyFits) {
  ASSERT_OK_AND_ASSIGN(
      HandlerChoice night,
      ChooseHandler(*selector_, Noise(), To(v1::TIER_COMMUNITY_POLICE), Local(11, 26, 2)));
  EXPECT_EQ(night.member_id, "cop2");
  ASSERT_OK_AND_ASSIGN(
      HandlerChoice nobody,
      ChooseHandler(*selector_, Noise(), To(v1::TIER_MEDIATOR), Local(11, 25, 10)));
  EXPECT_EQ(nobody.member_id, "");
  EXPECT_THAT(nobody.shortfall, HasSubstr("nobody of the requested force"));
  ASSERT_OK_AND_ASSIGN(
      HandlerChoice department,
      ChooseHandler(*selector_, Noise(), To(v1::TIER_DEPARTMENT_DIVERSION), Local(11, 25, 10)));
  EXPECT_EQ(department.member_id, "");
  EXPECT_EQ(department.shortfall, "");
}

}  // namespace
}  // namespace fengqiao
