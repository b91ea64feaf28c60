#include "fengqiao/incident/incident.h"

#include <set>

#include "fengqiao/incident/incident_log.h"
#include "fengqiao/incident/repeat_detector.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "testing/sample_district.h"
#include "testing/sample_year.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

v1::Incident Parse(const std::string& text) {
  v1::Incident incident;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &incident)) << text;
  return incident;
}

// A valid neighbour dispute in g11 reported 2026-11-25 10:00 (UTC+8).
v1::Incident Dispute(const std::string& extra = "") {
  return Parse(absl::StrCat(
      "id: \"i1\" reported_at { seconds: 1795572000 } occurred_at { seconds: 1795571400 } "
      "channel: CHANNEL_CALL_110 kind: INCIDENT_KIND_DISPUTE dispute_type: DISPUTE_TYPE_NEIGHBOUR "
      "grid_code: \"g11\" parties { person_id: \"p1\" } parties { person_id: \"p2\" } ",
      extra));
}

class Incidents : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(map_, GridMap::Parse(testing::TinyGridMapText(), "tiny.textproto"));
  }
  std::shared_ptr<const GridMap> map_;
};

TEST_F(Incidents, ASmallNeighbourDisputeIsSimple) {
  const Classification c = Classify(Dispute());
  EXPECT_TRUE(c.police_matter);
  EXPECT_EQ(c.dispute_type, v1::DISPUTE_TYPE_NEIGHBOUR);
  EXPECT_EQ(c.severity, v1::SEVERITY_SIMPLE);
  EXPECT_TRUE(c.severity_assessed);
  EXPECT_EQ(c.channel, v1::CHANNEL_CALL_110);
}

TEST_F(Incidents, SeverityFollowsAmountPartiesRepeatsInjuryAndViolence) {
  EXPECT_EQ(Classify(Dispute("amount_fen: 499999")).severity, v1::SEVERITY_SIMPLE);
  EXPECT_EQ(Classify(Dispute("amount_fen: 500000")).severity, v1::SEVERITY_GENERAL);
  EXPECT_EQ(Classify(Dispute("amount_fen: 5000000")).severity, v1::SEVERITY_MAJOR);
  EXPECT_EQ(Classify(Dispute("parties { person_id: \"p3\" }")).severity, v1::SEVERITY_GENERAL);
  EXPECT_EQ(Classify(Dispute(), /*repeat_count=*/1).severity, v1::SEVERITY_GENERAL);
  EXPECT_EQ(Classify(Dispute(), /*repeat_count=*/2).severity, v1::SEVERITY_MAJOR);
  EXPECT_EQ(Classify(Dispute("injury: true")).severity, v1::SEVERITY_MAJOR);
  EXPECT_EQ(Classify(Dispute("violence_risk: true amount_fen: 10")).severity,
            v1::SEVERITY_CRITICAL);
}

TEST_F(Incidents, SeverityGivenAtIntakeIsKept) {
  const Classification c = Classify(Dispute("severity: SEVERITY_MAJOR"));
  EXPECT_EQ(c.severity, v1::SEVERITY_MAJOR);
  EXPECT_FALSE(c.severity_assessed);
}

TEST_F(Incidents, NonPoliceMatterIsDivertedToItsDepartment) {
  v1::Incident sewage = Parse(
      "id: \"i2\" reported_at { seconds: 1795572000 } channel: CHANNEL_GRID_PATROL "
      "kind: INCIDENT_KIND_NON_POLICE responsible_department: DEPARTMENT_CITY_MANAGEMENT "
      "grid_code: \"g12\"");
  EXPECT_OK(ValidateIncident(sewage, *map_));
  const Classification c = Classify(sewage);
  EXPECT_FALSE(c.police_matter);
  EXPECT_EQ(c.department, v1::DEPARTMENT_CITY_MANAGEMENT);
}

TEST_F(Incidents, ValidDisputePasses) { EXPECT_OK(ValidateIncident(Dispute(), *map_)); }

// Seed 003: a compensation dispute over a damaged wall is not a police matter; it goes to
// 社区 / 司法行政 and stays a dispute of its type.
TEST_F(Incidents, ADisputeCanBeANonPoliceMatterDivertedToItsDepartment) {
  const v1::Incident wall =
      Dispute("police_matter: false responsible_department: DEPARTMENT_JUDICIAL_OFFICE");
  EXPECT_OK(ValidateIncident(wall, *map_));
  EXPECT_FALSE(IsPoliceMatter(wall));
  const Classification c = Classify(wall);
  EXPECT_FALSE(c.police_matter);
  EXPECT_EQ(c.kind, v1::INCIDENT_KIND_DISPUTE);
  EXPECT_EQ(c.dispute_type, v1::DISPUTE_TYPE_NEIGHBOUR);
  EXPECT_EQ(c.department, v1::DEPARTMENT_JUDICIAL_OFFICE);
  // Unset: by the kind; set true: a police matter whatever its department says.
  EXPECT_TRUE(IsPoliceMatter(Dispute()));
  EXPECT_TRUE(IsPoliceMatter(Dispute("police_matter: true")));
}

TEST_F(Incidents, APoliceMatterFlagThatContradictsTheKindOrLacksADepartmentIsNamed) {
  EXPECT_THAT(ValidateIncident(Dispute("police_matter: false"), *map_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("incident \"i1\""), HasSubstr("responsible_department"),
                             HasSubstr("non-police"))));
  v1::Incident stall = Parse(
      "id: \"i3\" reported_at { seconds: 1795572000 } channel: CHANNEL_GRID_PATROL "
      "kind: INCIDENT_KIND_NON_POLICE responsible_department: DEPARTMENT_CITY_MANAGEMENT "
      "grid_code: \"g12\" police_matter: true");
  EXPECT_THAT(ValidateIncident(stall, *map_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("incident \"i3\""), HasSubstr("police_matter"),
                             HasSubstr("NON_POLICE"))));
  EXPECT_FALSE(IsPoliceMatter(stall));  // the kind wins where the two disagree
  // A catalogue item code instead of a department: the catalogue names the department.
  v1::Incident classified = Dispute("police_matter: false matter_code: \"07.02.002\"");
  EXPECT_OK(ValidateIncident(classified, *map_));
}

TEST_F(Incidents, MissingDisputeTypeIsNamed) {
  v1::Incident i = Dispute();
  i.clear_dispute_type();
  EXPECT_THAT(ValidateIncident(i, *map_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("incident \"i1\""), HasSubstr("dispute_type"))));
}

TEST_F(Incidents, UnknownGridIsNamed) {
  v1::Incident i = Dispute();
  i.set_grid_code("g99");
  EXPECT_THAT(ValidateIncident(i, *map_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("grid_code"), HasSubstr("\"g99\" is not in the grid map"))));
}

TEST_F(Incidents, CommunityIsNotAGrid) {
  v1::Incident i = Dispute();
  i.set_grid_code("s1-c1");
  EXPECT_THAT(ValidateIncident(i, *map_), StatusIs(absl::StatusCode::kInvalidArgument,
                                                   HasSubstr("is a community, not a grid")));
}

TEST_F(Incidents, NegativeAmountIsRejected) {
  EXPECT_THAT(ValidateIncident(Dispute("amount_fen: -100"), *map_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("amount_fen"), HasSubstr("-100 is negative"))));
}

TEST_F(Incidents, OccurredAfterReportedIsOutOfOrder) {
  v1::Incident i = Dispute();
  i.mutable_occurred_at()->set_seconds(i.reported_at().seconds() + 60);
  EXPECT_THAT(ValidateIncident(i, *map_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("occurred_at"), HasSubstr("out of order"))));
}

TEST_F(Incidents, MissingReportTimeChannelKindOrDepartmentAreNamed) {
  v1::Incident i = Dispute();
  i.clear_reported_at();
  EXPECT_THAT(ValidateIncident(i, *map_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reported_at")));
  i = Dispute();
  i.clear_channel();
  EXPECT_THAT(ValidateIncident(i, *map_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("channel")));
  i = Dispute();
  i.set_kind(v1::INCIDENT_KIND_NON_POLICE);
  EXPECT_THAT(ValidateIncident(i, *map_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("responsible_department")));
  i = Dispute();
  i.mutable_parties(1)->clear_person_id();
  EXPECT_THAT(ValidateIncident(i, *map_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("parties[1].person_id")));
}

TEST_F(Incidents, LogErrorsPointAtTheLineOfTheBadField) {
  const std::string text =
      "incidents {\n"
      "  id: \"a\" reported_at { seconds: 1795572000 } channel: CHANNEL_CALL_110\n"
      "  kind: INCIDENT_KIND_FRAUD\n"
      "  grid_code: \"nowhere\"\n"
      "}\n";
  EXPECT_THAT(ParseIncidentLog(text, "log.textproto", *map_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("log.textproto:4:3"), HasSubstr("incident \"a\""),
                             HasSubstr("\"nowhere\""))));
}

TEST_F(Incidents, LogRejectsDuplicateIds) {
  const std::string one =
      "incidents { id: \"a\" reported_at { seconds: 1795572000 } channel: CHANNEL_CALL_110 "
      "kind: INCIDENT_KIND_FRAUD grid_code: \"g11\" }\n";
  EXPECT_THAT(ParseIncidentLog(one + one, "dup.textproto", *map_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("dup.textproto:2:"), HasSubstr("duplicate incident id"))));
}

TEST_F(Incidents, JsonLogWithABadTimestampIsLocated) {
  const std::string json =
      "{\"incidents\": [\n  {\"id\": \"a\", \"reportedAt\": \"yesterday\"}\n]}";
  EXPECT_THAT(ParseIncidentLog(json, "log.json", *map_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("log.json:2:")));
}

TEST(RepeatDetector, SamePartiesWithinTheWindowCountOncePerEarlierIncident) {
  RepeatDetector detector(absl::Hours(24 * 7));
  v1::Incident first = Dispute();
  v1::Incident second = Dispute();
  second.set_id("i2");
  second.mutable_reported_at()->set_seconds(first.reported_at().seconds() + 86400);
  v1::Incident stranger = Dispute();
  stranger.set_id("i3");
  stranger.mutable_parties(0)->set_person_id("p8");
  stranger.mutable_parties(1)->set_person_id("p9");
  stranger.mutable_reported_at()->set_seconds(first.reported_at().seconds() + 2 * 86400);
  v1::Incident third = Dispute();
  third.set_id("i4");
  third.mutable_parties(0)->set_person_id("p9");  // p9 from i3 and p2 from i1, i2
  third.mutable_reported_at()->set_seconds(first.reported_at().seconds() + 3 * 86400);
  v1::Incident late = Dispute();
  late.set_id("i5");
  late.mutable_reported_at()->set_seconds(first.reported_at().seconds() + 20 * 86400);

  EXPECT_EQ(*detector.Observe(first), 0);
  EXPECT_EQ(*detector.Observe(second), 1);
  EXPECT_EQ(*detector.Observe(stranger), 0);
  EXPECT_EQ(*detector.Observe(third), 3);
  EXPECT_EQ(*detector.Observe(late), 0);  // everything earlier is older than 7 days
}

TEST(RepeatDetector, OnlyEarlierReportsCountAndForgettingDropsOldOnes) {
  RepeatDetector detector(absl::Hours(24 * 30));
  v1::Incident later = Dispute();
  later.mutable_reported_at()->set_seconds(later.reported_at().seconds() + 3600);
  later.set_id("later");
  ASSERT_OK(detector.Observe(later));
  EXPECT_EQ(detector.Count(Dispute()), 0);  // reported before "later"
  v1::Incident next = Dispute();
  next.set_id("next");
  next.mutable_reported_at()->set_seconds(later.reported_at().seconds() + 60);
  EXPECT_EQ(detector.Count(next), 1);
  detector.ForgetBefore(absl::FromUnixSeconds(later.reported_at().seconds() + 1));
  EXPECT_EQ(detector.Count(next), 0);
  v1::Incident untimed = Dispute();
  untimed.clear_reported_at();
  EXPECT_THAT(detector.Observe(untimed),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reported_at")));
}

TEST(IncidentSample, SampleYearFollowsTheSeedsMix) {
  ASSERT_OK_AND_ASSIGN(auto map,
                       GridMap::Load(FENGQIAO_SOURCE_DIR "/examples/data/grid_map.textproto"));
  int calls_110 = 0, non_police_110 = 0, months = 0;
  std::set<v1::DisputeType> types;
  std::set<v1::Channel> channels;
  for (const std::string& path : testing::SampleIncidentFiles()) {
    ASSERT_OK_AND_ASSIGN(v1::IncidentLog log, LoadIncidentLog(path, *map));
    ++months;
    // A station's month, not a city's: a few hundred incidents.
    EXPECT_GT(log.incidents_size(), 300) << path;
    EXPECT_LT(log.incidents_size(), 600) << path;
    for (const auto& i : log.incidents()) {
      if (i.channel() == v1::CHANNEL_CALL_110) {
        ++calls_110;
        non_police_110 += Classify(i).police_matter ? 0 : 1;
      }
      if (i.kind() == v1::INCIDENT_KIND_DISPUTE) types.insert(i.dispute_type());
      channels.insert(i.channel());
    }
  }
  EXPECT_EQ(months, 13);  // the newest month, and the same month a year before
  // Of 110 calls (警情), about a third are non-police matters (平安小苑: 33.5%).
  const double share = static_cast<double>(non_police_110) / calls_110;
  EXPECT_GT(share, 0.28);
  EXPECT_LT(share, 0.40);
  for (v1::DisputeType t :
       {v1::DISPUTE_TYPE_NEIGHBOUR, v1::DISPUTE_TYPE_FAMILY, v1::DISPUTE_TYPE_LABOUR,
        v1::DISPUTE_TYPE_DEBT, v1::DISPUTE_TYPE_MARRIAGE, v1::DISPUTE_TYPE_PROPERTY_DAMAGE,
        v1::DISPUTE_TYPE_PERSONAL_INJURY, v1::DISPUTE_TYPE_NOISE, v1::DISPUTE_TYPE_PET}) {
    EXPECT_TRUE(types.contains(t)) << DisputeTypeName(t);
  }
  EXPECT_GE(channels.size(), 5u);
}

}  // namespace
}  // namespace fengqiao
