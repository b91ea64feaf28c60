#include "fengqiao/routing/rule_set.h"

#include <fstream>
#include <string>

#include "fengqiao/incident/incident_log.h"
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
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const char kRules[] = FENGQIAO_SOURCE_DIR "/examples/data/rules/district.textproto";

v1::Incident Incident(const std::string& text) {
  v1::Incident incident;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &incident)) << text;
  return incident;
}

// 2026-10-14 (a Wednesday) 10:00 in UTC+8.
constexpr char kWednesdayMorning[] = "reported_at { seconds: 1791943200 } ";

class SampleRules : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    map_ = new std::shared_ptr<const GridMap>(
        *GridMap::Load(FENGQIAO_SOURCE_DIR "/examples/data/grid_map.textproto"));
    auto source = RuleSetSource::Load(kRules);
    ASSERT_OK(source);
    auto compiled = RuleSet::Compile(*source, *map_);
    ASSERT_OK(compiled);
    rules_ = new std::shared_ptr<const RuleSet>(*compiled);
  }
  const RuleSet& rules() { return **rules_; }

  v1::Decision Decide(const std::string& text, int repeats = 0,
                      const CapacitySnapshot& snapshot = {}) {
    v1::Incident incident = Incident(
        absl::StrCat("id: \"t\" ", kWednesdayMorning, "grid_code: \"xc-lc-c1-g1\" ", text));
    absl::StatusOr<RoutingFacts> facts = MakeRoutingFacts(incident, repeats, rules());
    EXPECT_OK(facts);
    return rules().Decide(*facts, incident.id(), rules().ResolveCapacity(snapshot));
  }

  static const std::shared_ptr<const GridMap>* map_;
  static std::shared_ptr<const RuleSet>* rules_;
};
const std::shared_ptr<const GridMap>* SampleRules::map_ = nullptr;
std::shared_ptr<const RuleSet>* SampleRules::rules_ = nullptr;

constexpr char kTwoParties[] = "parties { person_id: \"a\" } parties { person_id: \"b\" } ";

TEST_F(SampleRules, CompilesCleanly) { EXPECT_THAT(rules().warnings(), IsEmpty()); }

TEST_F(SampleRules, NoiseComplaintGoesToPropertyButler) {
  v1::Decision d =
      Decide(absl::StrCat("kind: INCIDENT_KIND_DISPUTE dispute_type: DISPUTE_TYPE_NOISE "
                          "channel: CHANNEL_HOTLINE_12345 ",
                          kTwoParties));
  EXPECT_EQ(d.rule_id(), "noise-property-butler");
  EXPECT_EQ(d.action().tier(), v1::TIER_MEDIATOR);
  EXPECT_EQ(d.action().target_force_type(), v1::FORCE_TYPE_PROPERTY_MANAGER);
  // A property butler mediates on the mediators' clocks, not the 1/3/10 of police dispatch and
  // the instant-response team (seed 000): 30 minutes to accept, 2 hours to contact, no on-site
  // clock (so the 8-minute arrival rate does not count it).
  EXPECT_EQ(d.action().sla().accept().seconds(), 1800);
  EXPECT_EQ(d.action().sla().contact().seconds(), 7200);
  EXPECT_FALSE(d.action().sla().has_on_site());
}

TEST_F(SampleRules, ViolenceRiskGoesStraightToPoliceDispatch) {
  v1::Decision d =
      Decide(absl::StrCat("kind: INCIDENT_KIND_DISPUTE dispute_type: DISPUTE_TYPE_NOISE "
                          "channel: CHANNEL_CALL_110 violence_risk: true ",
                          kTwoParties));
  EXPECT_EQ(d.rule_id(), "violence-risk");
  EXPECT_EQ(d.action().tier(), v1::TIER_POLICE_DISPATCH);
}

TEST_F(SampleRules, SewageFromAShopIsDivertedToCityManagement) {
  v1::Decision d = Decide(
      "kind: INCIDENT_KIND_NON_POLICE responsible_department: DEPARTMENT_CITY_MANAGEMENT "
      "channel: CHANNEL_GRID_PATROL");
  EXPECT_EQ(d.rule_id(), "divert-city-management");
  EXPECT_EQ(d.action().tier(), v1::TIER_DEPARTMENT_DIVERSION);
  EXPECT_EQ(d.action().department(), v1::DEPARTMENT_CITY_MANAGEMENT);
}

TEST_F(SampleRules, LargeDebtGoesToJointMediationSmallDebtToTheJudicialOffice) {
  EXPECT_EQ(Decide(absl::StrCat("kind: INCIDENT_KIND_DISPUTE dispute_type: DISPUTE_TYPE_DEBT "
                                "channel: CHANNEL_WALK_IN amount_fen: 8000000 ",
                                kTwoParties))
                .action()
                .tier(),
            v1::TIER_JOINT_MEDIATION);
  v1::Decision small = Decide(absl::StrCat(
      "kind: INCIDENT_KIND_DISPUTE dispute_type: DISPUTE_TYPE_DEBT channel: CHANNEL_WALK_IN "
      "amount_fen: 300000 ",
      kTwoParties));
  EXPECT_EQ(small.rule_id(), "debt-sales-judicial");
  EXPECT_EQ(small.action().target_force_type(), v1::FORCE_TYPE_JUDICIAL_OFFICER);
}

TEST_F(SampleRules, RepeatedNeighbourDisputeIsNoLongerSimple) {
  const std::string neighbours = absl::StrCat(
      "kind: INCIDENT_KIND_DISPUTE dispute_type: DISPUTE_TYPE_NEIGHBOUR channel: CHANNEL_CALL_110 ",
      kTwoParties);
  EXPECT_EQ(Decide(neighbours, 0).rule_id(), "neighbour-building-head");
  EXPECT_EQ(Decide(neighbours, 1).rule_id(), "dispute-community-police");
  EXPECT_EQ(Decide(neighbours, 2).rule_id(), "major-joint");
}

TEST_F(SampleRules, FullTimeMediatorsTakeSimpleDisputesOnlyWhenTheyHaveRoom) {
  const std::string labour = absl::StrCat(
      "kind: INCIDENT_KIND_DISPUTE dispute_type: DISPUTE_TYPE_LABOUR channel: CHANNEL_WALK_IN ",
      kTwoParties);
  CapacitySnapshot room = {{"t-mediators", {.free_slots = 3, .on_shift = true}}};
  v1::Decision taken = Decide(labour, 0, room);
  EXPECT_EQ(taken.rule_id(), "simple-full-time-mediator");
  EXPECT_THAT(taken.capacity_diversions(), IsEmpty());

  CapacitySnapshot full = {{"t-mediators", {.free_slots = 0, .on_shift = true}}};
  v1::Decision overflow = Decide(labour, 0, full);
  EXPECT_EQ(overflow.rule_id(), "dispute-community-police");
  EXPECT_THAT(overflow.capacity_diversions(), ElementsAre("simple-full-time-mediator:t-mediators"));

  CapacitySnapshot off = {{"t-mediators", {.free_slots = 3, .on_shift = false}}};
  EXPECT_EQ(Decide(labour, 0, off).rule_id(), "dispute-community-police");
  // No snapshot: the mediators' state is unknown, so the case is not sent to them.
  EXPECT_EQ(Decide(labour, 0, {}).rule_id(), "dispute-community-police");
}

TEST_F(SampleRules, DecisionRecordNamesRuleVersionHashAndConditions) {
  v1::Decision d = Decide(absl::StrCat(
      "kind: INCIDENT_KIND_DISPUTE dispute_type: DISPUTE_TYPE_NOISE channel: CHANNEL_CALL_110 ",
      kTwoParties));
  EXPECT_EQ(d.incident_id(), "t");
  EXPECT_EQ(d.rule_set_version(), "2026.12.1");
  EXPECT_EQ(d.rule_set_hash(), rules().hash());
  EXPECT_EQ(d.rule_set_hash().size(), 16u);
  EXPECT_THAT(d.matched_conditions(), ElementsAre("kinds", "dispute_types", "severities"));
  // Compact enough to store with every case.
  EXPECT_LT(d.ByteSizeLong(), 200u);
}

TEST_F(SampleRules, SameInputSameDecisionAndRecompilingGivesTheSameHash) {
  const std::string text = absl::StrCat(
      "kind: INCIDENT_KIND_DISPUTE dispute_type: DISPUTE_TYPE_FAMILY channel: CHANNEL_CALL_110 ",
      kTwoParties);
  const v1::Decision first = Decide(text);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(Decide(text).SerializeAsString(), first.SerializeAsString());
  ASSERT_OK_AND_ASSIGN(RuleSetSource source, RuleSetSource::Load(kRules));
  ASSERT_OK_AND_ASSIGN(auto again, RuleSet::Compile(source, *map_));
  EXPECT_EQ(again->hash(), rules().hash());
  v1::RuleSet changed = source.proto();
  changed.mutable_rules(0)->mutable_then()->mutable_sla()->mutable_accept()->set_seconds(120);
  ASSERT_OK_AND_ASSIGN(auto other, RuleSet::Compile(RuleSetSource::FromProto(changed), *map_));
  EXPECT_NE(other->hash(), rules().hash());
}

TEST_F(SampleRules, ExplanationGivesTheFirstFailedConditionOfEveryEarlierRule) {
  v1::Incident incident = Incident(absl::StrCat(
      "id: \"e\" ", kWednesdayMorning,
      "grid_code: \"xc-lc-c1-g1\" kind: INCIDENT_KIND_DISPUTE dispute_type: DISPUTE_TYPE_NOISE "
      "channel: CHANNEL_CALL_110 ",
      kTwoParties));
  ASSERT_OK_AND_ASSIGN(RoutingFacts facts, MakeRoutingFacts(incident, 0, rules()));
  v1::Explanation e = rules().Explain(facts, "e");
  ASSERT_FALSE(e.rules().empty());
  EXPECT_EQ(e.rules(0).rule_id(), "violence-risk");
  EXPECT_FALSE(e.rules(0).matched());
  EXPECT_EQ(e.rules(0).first_failure().field(), "violence_risk");
  EXPECT_EQ(e.rules(1).first_failure().field(), "kinds");
  EXPECT_EQ(e.rules(4).rule_id(), "divert-city-management");
  EXPECT_EQ(e.rules(4).first_failure().field(), "police_matter");
  const v1::RuleTrace& last = e.rules(e.rules_size() - 1);
  EXPECT_TRUE(last.matched());
  EXPECT_EQ(last.rule_id(), "noise-property-butler");
  EXPECT_EQ(e.decision().rule_id(), "noise-property-butler");
  // The rules before the winner all failed.
  for (int i = 0; i + 1 < e.rules_size(); ++i) EXPECT_FALSE(e.rules(i).matched());
}

TEST_F(SampleRules, EverySampleIncidentIsRoutedAndExplainAgreesWithTheIndex) {
  ASSERT_OK_AND_ASSIGN(v1::IncidentLog log, testing::LoadSampleMonths(**map_));
  for (const v1::Incident& incident : log.incidents()) {
    ASSERT_OK_AND_ASSIGN(RoutingFacts facts, MakeRoutingFacts(incident, 0, rules()));
    const RouteResult r = rules().Route(facts);
    ASSERT_GE(r.rule, 0) << incident.id();
    EXPECT_EQ(rules().Explain(facts, incident.id()).decision().rule_id(),
              rules().proto().rules(r.rule).id());
    if (incident.kind() == v1::INCIDENT_KIND_NON_POLICE) {
      EXPECT_EQ(rules().proto().rules(r.rule).then().department(),
                incident.responsible_department())
          << incident.id();
    }
  }
}

// ---- Small rule sets over the tiny map ----

class TinyRules : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(map_, GridMap::Parse(testing::TinyGridMapText(), "tiny.textproto"));
  }
  absl::StatusOr<std::shared_ptr<const RuleSet>> Compile(const std::string& text,
                                                         const RuleSetOptions& options = {}) {
    absl::StatusOr<RuleSetSource> source = RuleSetSource::Parse(text, "rules.textproto");
    if (!source.ok()) return source.status();
    return RuleSet::Compile(*source, map_, options);
  }
  std::vector<RuleIssue> Lint(const std::string& text) {
    absl::StatusOr<RuleSetSource> source = RuleSetSource::Parse(text, "rules.textproto");
    EXPECT_OK(source);
    return RuleSet::Lint(*source, *map_);
  }
  RoutingFacts Facts(const std::string& grid, v1::IncidentKind kind,
                     v1::DisputeType type = v1::DISPUTE_TYPE_UNSPECIFIED) {
    RoutingFacts f;
    f.area = map_->AreaIndex(grid);
    f.kind = kind;
    f.dispute_type = type;
    f.severity = v1::SEVERITY_SIMPLE;
    f.channel = v1::CHANNEL_CALL_110;
    f.weekday = 3;
    f.hour = 10;
    f.party_count = 2;
    return f;
  }
  std::string Id(const RuleSet& rs, const RouteResult& r) {
    return r.rule < 0 ? "" : rs.proto().rules(r.rule).id();
  }
  std::shared_ptr<const GridMap> map_;
};

constexpr char kDefault[] =
    "rules { id: \"default\" is_default: true then { tier: TIER_COMMUNITY_POLICE } }\n";

TEST_F(TinyRules, AreaRulesApplyToEveryGridBelowTheArea) {
  ASSERT_OK_AND_ASSIGN(
      auto rs,
      Compile(absl::StrCat("rules { id: \"s1-noise\" when { area_codes: \"s1\" "
                           "dispute_types: DISPUTE_TYPE_NOISE } then { tier: TIER_MEDIATOR } }\n"
                           "rules { id: \"g22-any\" when { area_codes: \"g22\" } then { "
                           "tier: TIER_LAWYER } }\n",
                           kDefault)));
  EXPECT_EQ(Id(*rs, rs->Route(Facts("g12", v1::INCIDENT_KIND_DISPUTE, v1::DISPUTE_TYPE_NOISE))),
            "s1-noise");
  EXPECT_EQ(Id(*rs, rs->Route(Facts("g21", v1::INCIDENT_KIND_DISPUTE, v1::DISPUTE_TYPE_NOISE))),
            "default");
  EXPECT_EQ(Id(*rs, rs->Route(Facts("g22", v1::INCIDENT_KIND_DISPUTE, v1::DISPUTE_TYPE_NOISE))),
            "g22-any");
  // Explanations list the rules that can apply in the area and count the others.
  v1::Explanation e =
      rs->Explain(Facts("g21", v1::INCIDENT_KIND_DISPUTE, v1::DISPUTE_TYPE_NOISE), "x");
  EXPECT_EQ(e.rules_outside_area(), 2);
  ASSERT_EQ(e.rules_size(), 1);
  EXPECT_EQ(e.rules(0).rule_id(), "default");
  RoutingFacts nowhere = Facts("g22", v1::INCIDENT_KIND_DISPUTE, v1::DISPUTE_TYPE_NOISE);
  nowhere.area = -1;
  EXPECT_EQ(Id(*rs, rs->Route(nowhere)), "default");
}

TEST_F(TinyRules, PriorityPicksTheHighestPriorityMatch) {
  ASSERT_OK_AND_ASSIGN(
      auto rs,
      Compile("hit_policy: HIT_POLICY_PRIORITY\n"
              "rules { id: \"low\" priority: 1 when { kinds: INCIDENT_KIND_DISPUTE } "
              "then { tier: TIER_MEDIATOR } }\n"
              "rules { id: \"high\" priority: 9 when { dispute_types: DISPUTE_TYPE_NOISE } "
              "then { tier: TIER_COMMUNITY_POLICE } }\n"
              "rules { id: \"default\" priority: -1 is_default: true then { tier: "
              "TIER_COMMUNITY_POLICE } }\n"));
  EXPECT_EQ(Id(*rs, rs->Route(Facts("g11", v1::INCIDENT_KIND_DISPUTE, v1::DISPUTE_TYPE_NOISE))),
            "high");
  EXPECT_EQ(Id(*rs, rs->Route(Facts("g11", v1::INCIDENT_KIND_DISPUTE, v1::DISPUTE_TYPE_PET))),
            "low");
}

TEST_F(TinyRules, CollectReturnsEveryMatchInOrder) {
  ASSERT_OK_AND_ASSIGN(
      auto rs,
      Compile(absl::StrCat("hit_policy: HIT_POLICY_COLLECT\n"
                           "rules { id: \"a\" when { kinds: INCIDENT_KIND_DISPUTE } then { "
                           "tier: TIER_MEDIATOR } }\n"
                           "rules { id: \"b\" when { area_codes: \"s1\" } then { tier: "
                           "TIER_LAWYER } }\n",
                           kDefault)));
  const RoutingFacts f = Facts("g11", v1::INCIDENT_KIND_DISPUTE, v1::DISPUTE_TYPE_PET);
  EXPECT_THAT(rs->Collect(f), ElementsAre(0, 1, 2));
  v1::Decision d = rs->Decide(f, "x");
  EXPECT_EQ(d.rule_id(), "a");
  EXPECT_THAT(d.all_rule_ids(), ElementsAre("a", "b", "default"));
}

TEST_F(TinyRules, UniqueFlagsAnIncidentMatchingTwoRules) {
  // Lint refuses overlapping rules under UNIQUE; an area-bound pair that only overlaps in one
  // grid shows the runtime outcome too, when compiled as COLLECT and checked as UNIQUE would.
  auto overlapping = Compile(
      "hit_policy: HIT_POLICY_UNIQUE\n"
      "rules { id: \"a\" when { kinds: INCIDENT_KIND_DISPUTE } then { tier: TIER_MEDIATOR } }\n"
      "rules { id: \"b\" when { area_codes: \"s1\" } then { tier: TIER_LAWYER } }\n");
  EXPECT_THAT(overlapping, StatusIs(absl::StatusCode::kInvalidArgument,
                                    AllOf(HasSubstr("rules.textproto:3:"), HasSubstr("[overlap]"),
                                          HasSubstr("overlaps rule \"a\""))));
  ASSERT_OK_AND_ASSIGN(
      auto rs,
      Compile("hit_policy: HIT_POLICY_UNIQUE\n"
              "rules { id: \"dispute\" when { kinds: INCIDENT_KIND_DISPUTE } then { tier: "
              "TIER_MEDIATOR } }\n"
              "rules { id: \"other\" when { kinds: [INCIDENT_KIND_PUBLIC_ORDER, "
              "INCIDENT_KIND_CRIMINAL, INCIDENT_KIND_FRAUD, INCIDENT_KIND_TRAFFIC, "
              "INCIDENT_KIND_ASSISTANCE, INCIDENT_KIND_FIRE_HAZARD, INCIDENT_KIND_NON_POLICE] } "
              "then { tier: TIER_POLICE_DISPATCH } }\n"));
  EXPECT_THAT(rs->warnings(), IsEmpty());
  EXPECT_EQ(Id(*rs, rs->Route(Facts("g11", v1::INCIDENT_KIND_FRAUD))), "other");
  RouteResult r = rs->Route(Facts("g11", v1::INCIDENT_KIND_DISPUTE, v1::DISPUTE_TYPE_PET));
  EXPECT_EQ(Id(*rs, r), "dispute");
  EXPECT_FALSE(r.ambiguous);
}

TEST_F(TinyRules, TagsHoursAndDaysAreConditions) {
  ASSERT_OK_AND_ASSIGN(
      auto rs, Compile(absl::StrCat(
                   "rules { id: \"campus-night\" when { tags_all: [\"campus\", \"night\"] } then "
                   "{ tier: TIER_POLICE_DISPATCH } }\n"
                   "rules { id: \"evening\" when { hour_of_day { min: 18 max: 23 } } then { tier: "
                   "TIER_COMMUNITY_POLICE } }\n"
                   "rules { id: \"weekend\" when { days_of_week: [WEEKDAY_SATURDAY, "
                   "WEEKDAY_SUNDAY] } then { tier: TIER_MEDIATOR } }\n",
                   kDefault)));
  RoutingFacts f = Facts("g11", v1::INCIDENT_KIND_ASSISTANCE);
  f.tags = rs->TagBit("campus");
  EXPECT_EQ(Id(*rs, rs->Route(f)), "default");
  f.tags |= rs->TagBit("night");
  EXPECT_EQ(Id(*rs, rs->Route(f)), "campus-night");
  EXPECT_EQ(rs->TagBit("unknown"), 0u);
  f.tags = 0;
  f.hour = 19;
  EXPECT_EQ(Id(*rs, rs->Route(f)), "evening");
  f.hour = 9;
  f.weekday = 7;
  EXPECT_EQ(Id(*rs, rs->Route(f)), "weekend");
}

TEST_F(TinyRules, ColumnsGiveTheSameAnswersAsFacts) {
  ASSERT_OK_AND_ASSIGN(
      auto rs,
      Compile(absl::StrCat("rules { id: \"big\" when { amount_fen { min: 100000 } } then "
                           "{ tier: TIER_JOINT_MEDIATION } }\n"
                           "rules { id: \"noise\" when { dispute_types: DISPUTE_TYPE_NOISE "
                           "} then { tier: TIER_MEDIATOR } }\n",
                           kDefault)));
  std::vector<int32_t> area = {map_->AreaIndex("g11"), map_->AreaIndex("g12"), -1};
  std::vector<uint8_t> dispute = {v1::DISPUTE_TYPE_NOISE, v1::DISPUTE_TYPE_PET,
                                  v1::DISPUTE_TYPE_NOISE};
  std::vector<int64_t> amount = {0, 200000, 100};
  std::vector<int32_t> out(3);
  RoutingColumns columns;
  columns.area = area;
  columns.dispute_type = dispute;
  columns.amount_fen = amount;
  ASSERT_OK(rs->RouteColumns(columns, absl::MakeSpan(out)));
  EXPECT_THAT(out, ElementsAre(1, 0, 1));
  std::vector<int64_t> short_amount = {1};
  columns.amount_fen = short_amount;
  EXPECT_THAT(rs->RouteColumns(columns, absl::MakeSpan(out)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("amount_fen has 1 rows")));
}

// ---- Inheritance ----

TEST(RuleInheritance, StreetOverridesByIdInPlaceAndPutsNewRulesFirst) {
  ASSERT_OK_AND_ASSIGN(RuleSetSource district, RuleSetSource::Load(kRules));
  ASSERT_OK_AND_ASSIGN(
      RuleSetSource street,
      RuleSetSource::Load(FENGQIAO_SOURCE_DIR "/examples/data/rules/street_qd.textproto"));
  ASSERT_EQ(street.proto().rules_size(), district.proto().rules_size() + 1);
  EXPECT_EQ(street.proto().rules(0).id(), "maritime-labour");
  EXPECT_EQ(street.proto().version(), "2026.10.1-qd");
  EXPECT_EQ(street.proto().hit_policy(), v1::HIT_POLICY_FIRST);
  int district_index = -1;
  for (int i = 0; i < district.proto().rules_size(); ++i) {
    if (district.proto().rules(i).id() == "simple-full-time-mediator") district_index = i;
  }
  ASSERT_GE(district_index, 0);
  const v1::Rule& overridden = street.proto().rules(district_index + 1);
  EXPECT_EQ(overridden.id(), "simple-full-time-mediator");
  EXPECT_EQ(overridden.then().target_team_id(), "t-laoniangjiu");
  // Positions come from the file each rule was written in.
  EXPECT_THAT(street.Where(0), HasSubstr("street_qd.textproto:"));
  EXPECT_THAT(street.Where(district_index + 1), HasSubstr("street_qd.textproto:"));
  EXPECT_THAT(street.Where(1), HasSubstr("district.textproto:"));
  EXPECT_THAT(street.files(), ::testing::SizeIs(2));
}

TEST(RuleInheritance, CyclesAndMissingParentsAreErrors) {
  const std::string dir = ::testing::TempDir();
  {
    std::ofstream(dir + "/a.textproto") << "inherits: \"b.textproto\"\n";
    std::ofstream(dir + "/b.textproto") << "inherits: \"a.textproto\"\n";
  }
  EXPECT_THAT(RuleSetSource::Load(dir + "/a.textproto"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("inheritance cycle")));
  EXPECT_THAT(
      RuleSetSource::Parse("name: \"x\"\ninherits: \"nope.textproto\"\n", dir + "/c.textproto"),
      StatusIs(absl::StatusCode::kNotFound,
               AllOf(HasSubstr("c.textproto:2:1"), HasSubstr("nope.textproto"))));
}

// ---- Validation: one broken rule file per error kind ----

TEST_F(TinyRules, UnknownFieldIsAParseError) {
  EXPECT_THAT(Compile("rules {\n  id: \"x\"\n  wen { }\n}"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("rules.textproto:3:"), HasSubstr("wen"))));
}

TEST_F(TinyRules, UnknownEnumValueIsAParseError) {
  EXPECT_THAT(
      Compile("rules {\n  id: \"noise-small\"\n  when { dispute_types: DISPUTE_TYPE_NOSIE }\n}"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("rules.textproto:3:"), HasSubstr("DISPUTE_TYPE_NOSIE"))));
}

TEST_F(TinyRules, InvertedRangeIsAnError) {
  EXPECT_THAT(
      Compile(absl::StrCat("rules {\n  id: \"r\"\n  when { amount_fen { min: 500 max: 100 } }\n"
                           "  then { tier: TIER_MEDIATOR }\n}\n",
                           kDefault)),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("rules.textproto:3:10: error: rule \"r\": "), HasSubstr("inverted"),
                     HasSubstr("[inverted-range]"))));
}

TEST_F(TinyRules, HourOutsideTheDayIsAnError) {
  EXPECT_THAT(Compile(absl::StrCat("rules {\n  id: \"r\"\n  when { hour_of_day { max: 24 } }\n"
                                   "  then { tier: TIER_MEDIATOR }\n}\n",
                                   kDefault)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("rules.textproto:3:"), HasSubstr("[out-of-domain]"))));
}

TEST_F(TinyRules, EmptyRangeIsAWarning) {
  std::vector<RuleIssue> issues = Lint(
      absl::StrCat("rules {\n  id: \"r\"\n  when { party_count { } kinds: INCIDENT_KIND_FRAUD }\n"
                   "  then { tier: TIER_MEDIATOR }\n}\n",
                   kDefault));
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].severity, RuleIssue::Severity::kWarning);
  EXPECT_EQ(issues[0].code, "empty-range");
  EXPECT_THAT(issues[0].ToString(), HasSubstr("rules.textproto:3:10: warning: rule \"r\""));
}

TEST_F(TinyRules, UnspecifiedEnumInASetIsAnError) {
  EXPECT_THAT(Compile(absl::StrCat("rules { id: \"r\" when { channels: [CHANNEL_UNSPECIFIED] } "
                                   "then { tier: TIER_MEDIATOR } }\n",
                                   kDefault)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("UNSPECIFIED"), HasSubstr("[out-of-domain]"))));
}

TEST_F(TinyRules, DuplicateIdsAreErrors) {
  EXPECT_THAT(Compile(absl::StrCat("rules { id: \"r\" when { kinds: INCIDENT_KIND_FRAUD } then { "
                                   "tier: TIER_MEDIATOR } }\n"
                                   "rules { id: \"r\" when { kinds: INCIDENT_KIND_TRAFFIC } then { "
                                   "tier: TIER_MEDIATOR } }\n",
                                   kDefault)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("rules.textproto:2:9: error: rule \"r\": duplicate rule id"),
                             HasSubstr("first at rules.textproto:1:9"))));
}

TEST_F(TinyRules, UnknownAreaIsAnError) {
  EXPECT_THAT(Compile(absl::StrCat("rules { id: \"r\" when { area_codes: \"atlantis\" } then { "
                                   "tier: TIER_MEDIATOR } }\n",
                                   kDefault)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("rules.textproto:1:"), HasSubstr("\"atlantis\""),
                             HasSubstr("[unknown-area]"))));
}

TEST_F(TinyRules, UnknownTeamIsAnErrorWhenTeamsAreKnown) {
  RuleSetOptions options;
  options.known_teams = {"t-mediators"};
  EXPECT_THAT(Compile(absl::StrCat("rules { id: \"r\" when { capacity { team_id: \"t-ghost\" } } "
                                   "then { tier: TIER_MEDIATOR } }\n",
                                   kDefault),
                      options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("t-ghost"), HasSubstr("[unknown-team]"))));
}

TEST_F(TinyRules, ActionsNeedATierAndDiversionsADepartment) {
  EXPECT_THAT(
      Compile(absl::StrCat("rules { id: \"r\" when { kinds: INCIDENT_KIND_FRAUD } }\n", kDefault)),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("then.tier is not set"), HasSubstr("[bad-action]"))));
  EXPECT_THAT(Compile(absl::StrCat(
                  "rules { id: \"r\" when { kinds: INCIDENT_KIND_NON_POLICE } then { tier: "
                  "TIER_DEPARTMENT_DIVERSION } }\n",
                  kDefault)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("must name then.department")));
}

TEST_F(TinyRules, WorkingDayClocksAreZeroToAYearOfWorkingDays) {
  for (const char* field : {"resolve_working_days", "revisit_working_days"}) {
    for (int days : {-1, 367}) {
      SCOPED_TRACE(absl::StrCat(field, " ", days));
      EXPECT_THAT(
          Compile(absl::StrCat("rules { id: \"r\" when { kinds: INCIDENT_KIND_FRAUD } then { tier: "
                               "TIER_MEDIATOR sla { ",
                               field, ": ", days, " } } }\n", kDefault)),
          StatusIs(absl::StatusCode::kInvalidArgument,
                   AllOf(HasSubstr(absl::StrCat("sla.", field, " ", days)), HasSubstr("0..366"),
                         HasSubstr("[bad-action]"))));
    }
    EXPECT_OK(
        Compile(absl::StrCat("rules { id: \"r\" when { kinds: INCIDENT_KIND_FRAUD } then { "
                             "tier: TIER_MEDIATOR sla { ",
                             field, ": 1 } } }\n", kDefault)));
  }
}

TEST_F(TinyRules, DefaultRuleMayNotHaveConditions) {
  EXPECT_THAT(Compile("rules { id: \"d\" is_default: true when { kinds: INCIDENT_KIND_FRAUD } "
                      "then { tier: TIER_MEDIATOR } }\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("[bad-default]")));
}

TEST_F(TinyRules, RuleCoveredByAnEarlierOneCanNeverFire) {
  auto rs = Compile(absl::StrCat(
      "rules {\n  id: \"all-disputes\"\n  when { kinds: INCIDENT_KIND_DISPUTE }\n  then { tier: "
      "TIER_MEDIATOR }\n}\n"
      "rules {\n  id: \"noise-in-s1\"\n  when { dispute_types: DISPUTE_TYPE_NOISE area_codes: "
      "\"s1\" kinds: INCIDENT_KIND_DISPUTE }\n  then { tier: TIER_LAWYER }\n}\n",
      kDefault));
  EXPECT_THAT(rs,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("rules.textproto:6:1: error: rule \"noise-in-s1\": can "
                                       "never fire: rule \"all-disputes\" (rules.textproto:1:1)"),
                             HasSubstr("[shadowed]"))));
}

TEST_F(TinyRules, RulesAfterTheDefaultCanNeverFire) {
  EXPECT_THAT(Compile(absl::StrCat(kDefault,
                                   "rules { id: \"late\" when { kinds: "
                                   "INCIDENT_KIND_FRAUD } then { tier: TIER_MEDIATOR } }\n")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("rule \"late\": can never fire: rule \"default\""),
                             HasSubstr("[shadowed]"))));
}

TEST_F(TinyRules, CapacityTestsDoNotShadowLaterRules) {
  EXPECT_OK(Compile(absl::StrCat(
      "rules { id: \"mediators\" when { kinds: INCIDENT_KIND_DISPUTE capacity { team_id: \"t\" "
      "min_free_slots: 1 } } then { tier: TIER_MEDIATOR } }\n"
      "rules { id: \"police\" when { kinds: INCIDENT_KIND_DISPUTE } then { tier: "
      "TIER_COMMUNITY_POLICE } }\n",
      kDefault)));
}

TEST_F(TinyRules, WithoutADefaultRuleGapsAreReported) {
  ASSERT_OK_AND_ASSIGN(auto rs, Compile("rules { id: \"disputes\" when { kinds: "
                                        "INCIDENT_KIND_DISPUTE dispute_types: [DISPUTE_TYPE_NOISE] "
                                        "} then { tier: TIER_MEDIATOR } }\n"));
  ASSERT_FALSE(rs->warnings().empty());
  EXPECT_EQ(rs->warnings()[0].code, "gap");
  EXPECT_THAT(rs->warnings()[0].ToString(),
              AllOf(HasSubstr("rules.textproto:1:1: warning: no rule is sure to catch"),
                    HasSubstr("add a default rule")));
  for (const RuleIssue& w : rs->warnings())
    EXPECT_THAT(w.message, ::testing::Not(HasSubstr("noise")));
  // An incident in a gap matches nothing: a domain outcome, not an error.
  EXPECT_EQ(rs->Route(Facts("g11", v1::INCIDENT_KIND_FRAUD)).rule, -1);
  v1::Decision d = rs->Decide(Facts("g11", v1::INCIDENT_KIND_FRAUD), "x");
  EXPECT_EQ(d.rule_id(), "");
  EXPECT_FALSE(d.has_action());
}

TEST_F(TinyRules, EverythingWrongIsReportedAtOnceInFileOrder) {
  auto rs = Compile(absl::StrCat(
      "rules { id: \"a\" when { amount_fen { min: 9 max: 1 } } then { tier: TIER_MEDIATOR } }\n"
      "rules { id: \"b\" when { area_codes: \"zz\" } then { tier: TIER_MEDIATOR } }\n",
      kDefault));
  ASSERT_FALSE(rs.ok());
  const std::string message(rs.status().message());
  EXPECT_LT(message.find("rules.textproto:1:"), message.find("rules.textproto:2:"));
  EXPECT_THAT(message, AllOf(HasSubstr("[inverted-range]"), HasSubstr("[unknown-area]")));
}

TEST_F(TinyRules, JsonRuleFilesCompileAndTheirErrorsAreLocatedToo) {
  const std::string good =
      "{\"version\": \"j1\", \"rules\": [\n"
      "  {\"id\": \"noise\", \"when\": {\"disputeTypes\": [\"DISPUTE_TYPE_NOISE\"]},\n"
      "   \"then\": {\"tier\": \"TIER_MEDIATOR\"}},\n"
      "  {\"id\": \"default\", \"isDefault\": true, \"then\": {\"tier\": "
      "\"TIER_COMMUNITY_POLICE\"}}\n]}";
  ASSERT_OK_AND_ASSIGN(RuleSetSource source, RuleSetSource::Parse(good, "rules.json"));
  ASSERT_OK_AND_ASSIGN(auto rs, RuleSet::Compile(source, map_));
  EXPECT_EQ(Id(*rs, rs->Route(Facts("g11", v1::INCIDENT_KIND_DISPUTE, v1::DISPUTE_TYPE_NOISE))),
            "noise");
  const std::string bad =
      "{\"rules\": [\n"
      "  {\"id\": \"r\",\n"
      "   \"when\": {\"amountFen\": {\"min\": \"500\", \"max\": \"100\"}},\n"
      "   \"then\": {\"tier\": \"TIER_MEDIATOR\"}}\n]}";
  ASSERT_OK_AND_ASSIGN(RuleSetSource broken, RuleSetSource::Parse(bad, "rules.json"));
  EXPECT_THAT(RuleSet::Compile(broken, map_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("rules.json:3:13: error: rule \"r\""),
                             HasSubstr("[inverted-range]"))));
}

TEST_F(TinyRules, TooManyDistinctTagsIsAnError) {
  std::string text;
  for (int i = 0; i < 65; ++i) {
    absl::StrAppend(&text, "rules { id: \"r", i, "\" when { tags_all: \"tag", i,
                    "\" } then { tier: TIER_MEDIATOR } }\n");
  }
  EXPECT_THAT(Compile(absl::StrCat(text, kDefault)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("[too-many-tags]")));
}

TEST_F(TinyRules, MakeRoutingFactsRejectsAnIncidentWithoutReportTime) {
  ASSERT_OK_AND_ASSIGN(auto rs, Compile(kDefault));
  v1::Incident incident;
  incident.set_id("no-time");
  EXPECT_THAT(MakeRoutingFacts(incident, 0, *rs),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("no-time"), HasSubstr("reported_at"))));
  incident.mutable_reported_at()->set_seconds(1791943200);
  EXPECT_THAT(MakeRoutingFacts(incident, -1, *rs),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("repeat_count")));
  ASSERT_OK_AND_ASSIGN(RoutingFacts f, MakeRoutingFacts(incident, 0, *rs));
  EXPECT_EQ(f.hour, 10);
  EXPECT_EQ(f.weekday, 3);
  EXPECT_EQ(f.area, -1);
}

}  // namespace
}  // namespace fengqiao
