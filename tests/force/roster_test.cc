#include "fengqiao/force/roster.h"

#include <memory>
#include <utility>

#include "fengqiao/force/candidate_selector.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/sample_district.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::StatusIs;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const absl::TimeZone kChina = absl::FixedTimeZone(8 * 3600);

// 2026-11-25 is a Wednesday.
absl::Time Local(int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilMinute(2026, 11, day, hour, minute), kChina);
}

class TinyRoster : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(map_, GridMap::Parse(testing::TinyGridMapText(), "tiny.textproto"));
    ASSERT_OK_AND_ASSIGN(roster_,
                         Roster::Parse(testing::TinyRosterText(), "roster.textproto", map_));
  }
  std::vector<std::string> Ids(const CandidateList& list) {
    std::vector<std::string> out;
    for (const auto& c : list.candidates) out.push_back(c.member_id());
    return out;
  }
  v1::CandidateReason ReasonFor(const CandidateList& list, const std::string& id) {
    for (const auto& e : list.excluded) {
      if (e.member_id() == id) return e.reason();
    }
    return v1::CANDIDATE_REASON_UNSPECIFIED;
  }
  std::shared_ptr<const GridMap> map_;
  std::shared_ptr<const Roster> roster_;
};

TEST_F(TinyRoster, DayShiftCoversWednesdayMorningOnly) {
  const v1::Member& cop1 = *roster_->FindMember("cop1");
  EXPECT_TRUE(Roster::OnShift(cop1, Local(25, 10), kChina));
  EXPECT_FALSE(Roster::OnShift(cop1, Local(25, 21), kChina));
  EXPECT_FALSE(Roster::OnShift(cop1, Local(25, 7, 59), kChina));
}

TEST_F(TinyRoster, NightShiftRunsPastMidnightIntoTheNextDay) {
  const v1::Member& cop2 = *roster_->FindMember("cop2");
  EXPECT_TRUE(Roster::OnShift(cop2, Local(25, 23), kChina));
  EXPECT_TRUE(Roster::OnShift(cop2, Local(26, 3), kChina));  // Wednesday night, Thursday 03:00
  EXPECT_FALSE(Roster::OnShift(cop2, Local(26, 8), kChina));
}

TEST_F(TinyRoster, GridWorkerRestsOnSunday) {
  const v1::Member& gw = *roster_->FindMember("gw11");
  EXPECT_TRUE(Roster::OnShift(gw, Local(28, 10), kChina));   // Saturday
  EXPECT_FALSE(Roster::OnShift(gw, Local(29, 10), kChina));  // Sunday
}

TEST_F(TinyRoster, CoreForcesAreTheFourOfOnePlusFourPlusN) {
  EXPECT_TRUE(Roster::IsCoreForce(v1::FORCE_TYPE_POLICE));
  EXPECT_TRUE(Roster::IsCoreForce(v1::FORCE_TYPE_SECURITY_GUARD));
  EXPECT_FALSE(Roster::IsCoreForce(v1::FORCE_TYPE_VOLUNTEER_POLICE));
  EXPECT_THAT(roster_->TeamMembers("t-police"), ::testing::IsEmpty());
}

TEST_F(TinyRoster, NoiseComplaintGoesToTheNearestFreePropertyButlerFirst) {
  CandidateSelector selector(roster_, {});
  CandidateRequest request;
  request.dispute_type = v1::DISPUTE_TYPE_NOISE;
  request.grid_code = "g11";
  request.at = Local(25, 10);
  request.force_types = {v1::FORCE_TYPE_PROPERTY_MANAGER};
  ASSERT_OK_AND_ASSIGN(CandidateList list, selector.Candidates(request));
  // pm11 is in the grid (load 2/4); pm12 in the same community; pm22 in another street;
  // pmfull is at capacity.
  EXPECT_THAT(Ids(list), ElementsAre("pm11", "pm12", "pm22"));
  EXPECT_THAT(list.candidates[0].reasons(), Contains(v1::CANDIDATE_REASON_SAME_GRID));
  EXPECT_THAT(list.candidates[0].reasons(), Contains(v1::CANDIDATE_REASON_SKILL_MATCH));
  EXPECT_EQ(list.candidates[1].area_distance(), 1);
  EXPECT_EQ(list.candidates[2].area_distance(), 3);
  EXPECT_EQ(ReasonFor(list, "pmfull"), v1::CANDIDATE_REASON_AT_CAPACITY);
  EXPECT_EQ(ReasonFor(list, "cop1"), v1::CANDIDATE_REASON_WRONG_FORCE_TYPE);
}

TEST(RosterOwnership, TheSelectorKeepsTheRosterAndTheRosterKeepsTheMap) {
  // The caller drops its own references right away: the selector alone keeps the roster, which
  // keeps the map (under ASan a dangling pointer here would be a use after free).
  std::unique_ptr<CandidateSelector> selector;
  {
    ASSERT_OK_AND_ASSIGN(std::shared_ptr<const GridMap> map,
                         GridMap::Parse(testing::TinyGridMapText(), "tiny.textproto"));
    ASSERT_OK_AND_ASSIGN(std::shared_ptr<const Roster> roster,
                         Roster::Parse(testing::TinyRosterText(), "roster.textproto", map));
    EXPECT_EQ(&roster->grid_map(), map.get());
    selector = std::make_unique<CandidateSelector>(std::move(roster), CandidateSelectorOptions{});
  }
  CandidateRequest request;
  request.dispute_type = v1::DISPUTE_TYPE_NOISE;
  request.grid_code = "g11";
  request.at = Local(25, 10);
  request.force_types = {v1::FORCE_TYPE_PROPERTY_MANAGER};
  ASSERT_OK_AND_ASSIGN(CandidateList list, selector->Candidates(request));
  ASSERT_FALSE(list.candidates.empty());
  EXPECT_EQ(list.candidates[0].member_id(), "pm11");
}

TEST(RosterOwnership, NullMapOrRosterIsAnErrorNotACrash) {
  EXPECT_THAT(Roster::Parse(testing::TinyRosterText(), "roster.textproto", nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("grid map is null")));
  CandidateSelector selector(nullptr, {});
  CandidateRequest request;
  request.grid_code = "g11";
  EXPECT_THAT(selector.Candidates(request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("null roster")));
}

TEST_F(TinyRoster, SkillOutranksProximity) {
  CandidateSelector selector(roster_, {});
  CandidateRequest request;
  request.dispute_type = v1::DISPUTE_TYPE_PET;
  request.grid_code = "g21";
  request.at = Local(25, 10);
  request.force_types = {v1::FORCE_TYPE_BUILDING_HEAD};
  ASSERT_OK_AND_ASSIGN(CandidateList list, selector.Candidates(request));
  // lead1 (other street) knows pets; lead2 lives in the community but does not.
  EXPECT_THAT(Ids(list), ElementsAre("lead1", "lead2"));
}

TEST_F(TinyRoster, TheMemberWhoFoundTheDisputeDoesNotMediateIt) {
  CandidateSelector selector(roster_, {});
  CandidateRequest request;
  request.dispute_type = v1::DISPUTE_TYPE_NOISE;
  request.grid_code = "g11";
  request.at = Local(25, 10);
  request.found_by_member_id = "gw11";
  ASSERT_OK_AND_ASSIGN(CandidateList list, selector.Candidates(request));
  EXPECT_THAT(Ids(list), ::testing::Not(Contains("gw11")));
  EXPECT_EQ(ReasonFor(list, "gw11"), v1::CANDIDATE_REASON_FOUND_THE_DISPUTE);
  request.allow_finder = true;
  ASSERT_OK_AND_ASSIGN(CandidateList with_finder, selector.Candidates(request));
  EXPECT_THAT(Ids(with_finder), Contains("gw11"));
}

TEST_F(TinyRoster, AtNightOnlyTheNightShiftIsLeft) {
  CandidateSelector selector(roster_, {});
  CandidateRequest request;
  request.dispute_type = v1::DISPUTE_TYPE_NEIGHBOUR;
  request.grid_code = "g11";
  request.at = Local(26, 2);
  ASSERT_OK_AND_ASSIGN(CandidateList list, selector.Candidates(request));
  EXPECT_THAT(Ids(list), ElementsAre("cop2"));
  EXPECT_EQ(ReasonFor(list, "cop1"), v1::CANDIDATE_REASON_OFF_SHIFT);
  EXPECT_EQ(list.candidates.size() + list.excluded.size(), roster_->proto().members_size());
}

TEST_F(TinyRoster, RadiusAndRequiredSkillLeaveMembersOutWithTheirReason) {
  CandidateSelector selector(roster_, {});
  CandidateRequest request;
  request.dispute_type = v1::DISPUTE_TYPE_NOISE;
  request.grid_code = "g11";
  request.at = Local(25, 10);
  request.require_skill = true;
  request.max_distance_m = 1300;  // g11 to g12 centres ~ 965 m; to g22 ~ 1,480 m
  request.exclude_member_ids = {"pm12"};
  ASSERT_OK_AND_ASSIGN(CandidateList list, selector.Candidates(request));
  EXPECT_THAT(Ids(list), ElementsAre("gw11", "pm11"));
  EXPECT_EQ(ReasonFor(list, "cop1"), v1::CANDIDATE_REASON_NO_SKILL);
  EXPECT_EQ(ReasonFor(list, "pm22"), v1::CANDIDATE_REASON_OUTSIDE_RADIUS);
  EXPECT_EQ(ReasonFor(list, "pm12"), v1::CANDIDATE_REASON_EXCLUDED);
}

TEST_F(TinyRoster, BadRequestsAreErrors) {
  CandidateSelector selector(roster_, {});
  CandidateRequest request;
  EXPECT_THAT(selector.Candidates(request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("grid_code")));
  request.grid_code = "g99";
  EXPECT_THAT(selector.Candidates(request),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("g99")));
}

TEST(RosterSample, SampleRosterHasTheOnePlusFourPlusNForces) {
  ASSERT_OK_AND_ASSIGN(auto map,
                       GridMap::Load(FENGQIAO_SOURCE_DIR "/examples/data/grid_map.textproto"));
  ASSERT_OK_AND_ASSIGN(auto roster,
                       Roster::Load(FENGQIAO_SOURCE_DIR "/examples/data/roster.textproto", map));
  EXPECT_GE(roster->proto().members_size(), 100);
  std::set<v1::ForceType> core, social;
  for (const auto& m : roster->proto().members()) {
    (Roster::IsCoreForce(m.force_type()) ? core : social).insert(m.force_type());
  }
  EXPECT_EQ(core.size(), 4u);
  EXPECT_GE(social.size(), 5u);
  // Every grid has a grid worker in its four-grid team, and he is on the roster.
  for (const auto& area : map->proto().areas()) {
    if (area.level() != v1::AREA_LEVEL_GRID) continue;
    ASSERT_OK_AND_ASSIGN(v1::FourGridTeam team, map->TeamOf(area.code()));
    const v1::Member* worker = roster->FindMember(team.management_grid_worker());
    ASSERT_NE(worker, nullptr) << area.code();
    EXPECT_EQ(worker->force_type(), v1::FORCE_TYPE_GRID_WORKER);
    EXPECT_NE(roster->FindMember(team.police_grid_officer()), nullptr) << area.code();
  }
}

// ---- Bad rosters: one test per error kind. ----

class RosterErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(map_, GridMap::Parse(testing::TinyGridMapText(), "tiny.textproto"));
  }
  absl::StatusOr<std::shared_ptr<const Roster>> Parse(const std::string& members) {
    // Keep the four-grid team members so that only the member under test is wrong.
    return Roster::Parse(
        absl::StrCat("members { id: \"lead1\" name: \"L1\" force_type: FORCE_TYPE_BUILDING_HEAD "
                     "home_area_code: \"s1-c1\" }\n"
                     "members { id: \"lead2\" name: \"L2\" force_type: FORCE_TYPE_BUILDING_HEAD "
                     "home_area_code: \"s2-c1\" }\n"
                     "members { id: \"cop1\" name: \"C1\" force_type: FORCE_TYPE_POLICE "
                     "home_area_code: \"s1-c1\" }\n"
                     "members { id: \"cop2\" name: \"C2\" force_type: FORCE_TYPE_POLICE "
                     "home_area_code: \"s2-c1\" }\n",
                     members),
        "bad_roster.textproto", map_);
  }
  std::shared_ptr<const GridMap> map_;
};

TEST_F(RosterErrors, DuplicateMemberId) {
  EXPECT_THAT(Parse("members { id: \"cop1\" name: \"X\" force_type: FORCE_TYPE_POLICE "
                    "home_area_code: \"d\" }"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("bad_roster.textproto:5:"),
                             HasSubstr("duplicate member id \"cop1\""))));
}

TEST_F(RosterErrors, UnknownHomeArea) {
  EXPECT_THAT(Parse("members { id: \"x\" name: \"X\" force_type: FORCE_TYPE_LAWYER "
                    "home_area_code: \"atlantis\" }"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("bad_roster.textproto:5:"), HasSubstr("member \"x\""),
                             HasSubstr("\"atlantis\" is not in grid map"))));
}

TEST_F(RosterErrors, UnknownTeam) {
  EXPECT_THAT(Parse("members { id: \"x\" name: \"X\" force_type: FORCE_TYPE_LAWYER "
                    "home_area_code: \"d\" team_id: \"t-none\" }"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("bad_roster.textproto:5:"), HasSubstr("t-none"))));
}

TEST_F(RosterErrors, ShiftEndingBeforeItStarts) {
  EXPECT_THAT(Parse("members { id: \"x\" name: \"X\" force_type: FORCE_TYPE_LAWYER "
                    "home_area_code: \"d\"\n  shifts { day: WEEKDAY_MONDAY start_minute: 600 "
                    "end_minute: 500 } }"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("bad_roster.textproto:6:3"), HasSubstr("shift 0"))));
}

TEST_F(RosterErrors, NegativeCapacity) {
  EXPECT_THAT(Parse("members { id: \"x\" name: \"X\" force_type: FORCE_TYPE_LAWYER "
                    "home_area_code: \"d\" capacity: -1 }"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("member \"x\""), HasSubstr("negative"))));
}

TEST_F(RosterErrors, MissingForceType) {
  EXPECT_THAT(Parse("members { id: \"x\" name: \"X\" home_area_code: \"d\" }"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("member \"x\""), HasSubstr("force_type"))));
}

TEST_F(RosterErrors, FourGridTeamNamingSomeoneNotOnTheRoster) {
  auto roster = Roster::Parse(
      "members { id: \"lead1\" name: \"L1\" force_type: FORCE_TYPE_BUILDING_HEAD home_area_code: "
      "\"s1-c1\" }",
      "short.textproto", map_);
  EXPECT_THAT(roster, StatusIs(absl::StatusCode::kInvalidArgument,
                               AllOf(HasSubstr("short.textproto"), HasSubstr("area \"s1-c1\""),
                                     HasSubstr("police_grid_officer"), HasSubstr("\"cop1\""))));
}

TEST_F(RosterErrors, UnknownSkillName) {
  EXPECT_THAT(
      Parse("members { id: \"x\" name: \"X\" force_type: FORCE_TYPE_LAWYER "
            "home_area_code: \"d\" skills: DISPUTE_TYPE_NOSIE }"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("bad_roster.textproto:5:"), HasSubstr("DISPUTE_TYPE_NOSIE"))));
}

}  // namespace
}  // namespace fengqiao
