// Properties of routing on random rule sets and random incidents (issue 9 point 2):
// - the message path (Incident -> MakeRoutingFacts -> Route / Decide) and the column path
//   (RoutingColumns from the same incident fields, as an analyst's frame holds them ->
//   RouteColumns) pick the same rule for every incident, whatever its fields;
// - the lint is exact: a rule reported "shadowed" by an earlier one matches no fact the earlier
//   one does not (checked on random facts over every value of every field, in range or not), and
//   a rule reported "never-matches" matches no fact at all.
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "fengqiao/incident/incident.h"
#include "fengqiao/routing/responsibility_catalogue.h"
#include "fengqiao/routing/rule_set.h"
#include "gmock/gmock.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "testing/generated_rules.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using Rng = std::mt19937_64;

const char* const kTags[] = {"campus", "night-market", "elderly", "school-run"};
const v1::HitPolicy kPolicies[] = {v1::HIT_POLICY_FIRST, v1::HIT_POLICY_PRIORITY,
                                   v1::HIT_POLICY_COLLECT, v1::HIT_POLICY_UNIQUE};

int Uniform(Rng& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
bool OneIn(Rng& rng, int n) { return Uniform(rng, 1, n) == 1; }

// 1..size-1 of an enum with ARRAYSIZE `size`, a few of them.
template <typename Add>
void SomeValues(Rng& rng, int size, Add add) {
  const int count = Uniform(rng, 1, 3);
  for (int i = 0; i < count; ++i) add(Uniform(rng, 1, size - 1));
}

const std::string& RandomArea(Rng& rng, const GridMap& map) {
  return map.proto().areas(Uniform(rng, 0, map.size() - 1)).code();
}

// A rule with a random handful of conditions on every kind of field.
v1::Rule RandomRule(Rng& rng, const GridMap& map, int index) {
  v1::Rule rule;
  rule.set_id(absl::StrCat("r", index));
  rule.set_priority(Uniform(rng, 0, 3));
  v1::Condition& w = *rule.mutable_when();
  const int conditions = Uniform(rng, 0, 4);
  for (int c = 0; c < conditions; ++c) {
    switch (Uniform(rng, 0, 15)) {
      case 0:
        if (OneIn(rng, 2)) {  // the non-police matters alone (非警务事项)
          w.add_kinds(v1::INCIDENT_KIND_NON_POLICE);
          break;
        }
        SomeValues(rng, v1::IncidentKind_ARRAYSIZE,
                   [&](int v) { w.add_kinds(static_cast<v1::IncidentKind>(v)); });
        break;
      case 1:
        SomeValues(rng, v1::DisputeType_ARRAYSIZE,
                   [&](int v) { w.add_dispute_types(static_cast<v1::DisputeType>(v)); });
        break;
      case 2:
        SomeValues(rng, v1::Severity_ARRAYSIZE,
                   [&](int v) { w.add_severities(static_cast<v1::Severity>(v)); });
        break;
      case 3:
        SomeValues(rng, v1::Channel_ARRAYSIZE,
                   [&](int v) { w.add_channels(static_cast<v1::Channel>(v)); });
        break;
      case 4:
        SomeValues(rng, v1::Department_ARRAYSIZE,
                   [&](int v) { w.add_departments(static_cast<v1::Department>(v)); });
        break;
      case 5:
        SomeValues(rng, v1::Weekday_ARRAYSIZE,
                   [&](int v) { w.add_days_of_week(static_cast<v1::Weekday>(v)); });
        break;
      case 6:
        w.set_police_matter(OneIn(rng, 2));
        break;
      case 7:
        w.set_injury(OneIn(rng, 2));
        break;
      case 8:
        w.set_violence_risk(OneIn(rng, 2));
        break;
      case 9: {
        const int lo = Uniform(rng, 0, 23);
        w.mutable_hour_of_day()->set_min(lo);
        w.mutable_hour_of_day()->set_max(Uniform(rng, lo, 23));
        break;
      }
      case 10:
        if (OneIn(rng, 2)) w.mutable_amount_fen()->set_min(Uniform(rng, 0, 4) * 50'000);
        if (OneIn(rng, 2) || !w.amount_fen().has_min()) {
          w.mutable_amount_fen()->set_max(w.amount_fen().min() + Uniform(rng, 0, 4) * 50'000);
        }
        break;
      case 11:
        w.mutable_party_count()->set_min(Uniform(rng, 0, 3));
        break;
      case 12:
        w.mutable_repeat_count()->set_max(Uniform(rng, 0, 3));
        break;
      case 13:
        w.add_tags_all(kTags[Uniform(rng, 0, 3)]);
        break;
      case 14:
        w.add_area_codes(RandomArea(rng, map));
        break;
      case 15: {
        v1::CapacityTest& t = *w.add_capacity();
        t.set_team_id(absl::StrCat("t", Uniform(rng, 0, 2)));
        t.set_min_free_slots(Uniform(rng, 0, 2));
        t.set_require_on_shift(OneIn(rng, 2));
        break;
      }
    }
  }
  v1::Action& a = *rule.mutable_then();
  a.set_tier(static_cast<v1::Tier>(Uniform(rng, 1, v1::Tier_ARRAYSIZE - 1)));
  if (a.tier() == v1::TIER_DEPARTMENT_DIVERSION) {
    a.set_department(static_cast<v1::Department>(Uniform(rng, 1, v1::Department_ARRAYSIZE - 1)));
  }
  return rule;
}

v1::RuleSet RandomRules(Rng& rng, const GridMap& map, int count, v1::HitPolicy policy) {
  v1::RuleSet rs;
  rs.set_version("random");
  rs.set_hit_policy(policy);
  for (int i = 0; i < count; ++i) *rs.add_rules() = RandomRule(rng, map, i);
  if (OneIn(rng, 2)) {
    v1::Rule& d = *rs.add_rules();
    d.set_id("default");
    d.set_is_default(true);
    d.mutable_then()->set_tier(v1::TIER_COMMUNITY_POLICE);
  }
  return rs;
}

// The rules of `rs` without an error-severity finding (shadowed, overlapping...): what compiles.
v1::RuleSet Sound(const v1::RuleSet& rs, const GridMap& map) {
  std::vector<std::string> bad;
  for (const RuleIssue& issue : RuleSet::Lint(RuleSetSource::FromProto(rs), map)) {
    if (issue.severity == RuleIssue::Severity::kError) bad.push_back(issue.rule_id);
  }
  v1::RuleSet out = rs;
  out.clear_rules();
  for (const v1::Rule& r : rs.rules()) {
    if (std::find(bad.begin(), bad.end(), r.id()) == bad.end()) *out.add_rules() = r;
  }
  return out;
}

// A random responsibility catalogue: 1-3 domains of 1-3 classes of 1-4 items, each owned by a
// random department, a random fallback owner.
std::shared_ptr<const ResponsibilityCatalogue> RandomCatalogue(Rng& rng) {
  auto department = [&] {
    return static_cast<v1::Department>(Uniform(rng, 1, v1::Department_ARRAYSIZE - 1));
  };
  v1::ResponsibilityCatalogue c;
  c.set_version(absl::StrCat("random-", Uniform(rng, 0, 999)));
  c.set_effective_date("2026-01-01");
  c.set_fallback_department(department());
  for (int d = Uniform(rng, 1, 3); d > 0; --d) {
    v1::CatalogueDomain& domain = *c.add_domains();
    domain.set_code(absl::StrCat(d));
    domain.set_name(absl::StrCat("domain ", d));
    for (int k = Uniform(rng, 1, 3); k > 0; --k) {
      v1::CatalogueClass& cls = *domain.add_classes();
      cls.set_code(absl::StrCat(d, ".", k));
      cls.set_name(absl::StrCat("class ", k));
      for (int i = Uniform(rng, 1, 4); i > 0; --i) {
        v1::CatalogueItem& item = *cls.add_items();
        item.set_code(absl::StrCat(d, ".", k, ".", i));
        item.set_name(absl::StrCat("item ", i));
        item.set_department(department());
      }
    }
  }
  auto catalogue = ResponsibilityCatalogue::FromProto(std::move(c));
  return catalogue.ok() ? *std::move(catalogue) : nullptr;
}

// A matter code for an incident: one of the catalogue's items, an unknown code or none.
std::string RandomMatterCode(Rng& rng, const ResponsibilityCatalogue* catalogue) {
  if (catalogue == nullptr || OneIn(rng, 4)) return OneIn(rng, 2) ? "" : "9.9.9";
  return catalogue->item(Uniform(rng, 0, catalogue->size() - 1)).code();
}

v1::Incident RandomIncident(Rng& rng, const GridMap& map, int index) {
  v1::Incident incident;
  incident.set_id(absl::StrCat("i", index));
  // October 2026 in UTC seconds, any minute.
  incident.mutable_reported_at()->set_seconds(1790784000 + Uniform(rng, 0, 31 * 86400 - 1));
  incident.set_grid_code(OneIn(rng, 10) ? "not-a-grid" : RandomArea(rng, map));
  incident.set_kind(static_cast<v1::IncidentKind>(Uniform(rng, 1, v1::IncidentKind_ARRAYSIZE - 1)));
  // Any kind may carry a dispute type and a department: a non-police debt dispute, a dispute
  // whose department is recorded.
  incident.set_dispute_type(
      static_cast<v1::DisputeType>(Uniform(rng, 0, v1::DisputeType_ARRAYSIZE - 1)));
  incident.set_responsible_department(
      static_cast<v1::Department>(Uniform(rng, 0, v1::Department_ARRAYSIZE - 1)));
  incident.set_severity(static_cast<v1::Severity>(Uniform(rng, 0, v1::Severity_ARRAYSIZE - 1)));
  incident.set_channel(static_cast<v1::Channel>(Uniform(rng, 1, v1::Channel_ARRAYSIZE - 1)));
  incident.set_amount_fen(Uniform(rng, 0, 5) * 40'000);
  const int parties = Uniform(rng, 0, 4);
  for (int p = 0; p < parties; ++p) incident.add_parties()->set_person_id(absl::StrCat("p", p));
  incident.set_injury(OneIn(rng, 3));
  incident.set_violence_risk(OneIn(rng, 4));
  // Police matter or not, independently of the kind (a dispute can be non-police); NON_POLICE
  // is never declared a police matter (ValidateIncident refuses it).
  if (OneIn(rng, 3)) {
    incident.set_police_matter(incident.kind() != v1::INCIDENT_KIND_NON_POLICE && OneIn(rng, 2));
  }
  for (const char* tag : kTags) {
    if (OneIn(rng, 3)) incident.add_tags(tag);
  }
  return incident;
}

// The incident's fields as an analyst's frame holds them, one row, built without
// MakeRoutingFacts: recorded values, the assessed severity when none is recorded (as
// incident_facts gives it), local hour and ISO weekday. Routed through RoutingColumns.
RoutingFacts FrameRow(const v1::Incident& incident, int repeat_count, const RuleSet& rules) {
  RoutingFacts f;
  f.area = rules.grid_map().AreaIndex(incident.grid_code());
  f.kind = static_cast<uint8_t>(incident.kind());
  f.dispute_type = static_cast<uint8_t>(incident.dispute_type());
  f.severity = static_cast<uint8_t>(Classify(incident, repeat_count).severity);
  f.channel = static_cast<uint8_t>(incident.channel());
  f.department = static_cast<uint8_t>(incident.responsible_department());
  const absl::CivilSecond local = absl::ToCivilSecond(
      absl::FromUnixSeconds(incident.reported_at().seconds()), rules.options().time_zone);
  f.hour = static_cast<uint8_t>(local.hour());
  // absl counts Monday as 0; ISO as 1.
  f.weekday = static_cast<uint8_t>(static_cast<int>(absl::GetWeekday(absl::CivilDay(local))) + 1);
  // The frame's police_matter column (NaN / missing: by the kind) folds into the flags.
  const bool non_police = incident.has_police_matter() && !incident.police_matter();
  f.flags = static_cast<uint8_t>((incident.injury() ? 1 : 0) | (incident.violence_risk() ? 2 : 0) |
                                 (non_police ? 4 : 0));
  f.amount_fen = incident.amount_fen();
  f.party_count = incident.parties_size();
  f.repeat_count = repeat_count;
  for (const std::string& tag : incident.tags()) f.tags |= rules.TagBit(tag);
  // The frame's matter column: the item index of the row's matter code (-1: none).
  if (rules.options().catalogue != nullptr) {
    f.matter = rules.options().catalogue->Find(incident.matter_code());
  }
  return f;
}

TEST(RoutingPaths, MessageAndColumnPathsPickTheSameRuleOnEveryIncident) {
  const auto map = testing::GeneratedDistrict();
  Rng rng(20261207);
  int compared = 0, routed = 0, non_police_with_dispute_type = 0, non_police_disputes = 0;
  int by_item = 0, fell_back = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const v1::RuleSet rs =
        Sound(RandomRules(rng, *map, Uniform(rng, 1, 40), kPolicies[trial % 4]), *map);
    if (rs.rules_size() == 0) continue;
    // Every other rule set under a responsibility catalogue (issue 18 point 4).
    RuleSetOptions options;
    if (trial % 8 >= 4) {
      options.catalogue = RandomCatalogue(rng);
      ASSERT_NE(options.catalogue, nullptr);
    }
    ASSERT_OK_AND_ASSIGN(auto rules, RuleSet::Compile(RuleSetSource::FromProto(rs), map, options));
    std::vector<CapacityState> capacity(rules->teams().size());
    for (CapacityState& c : capacity) c = {Uniform(rng, 0, 2), OneIn(rng, 2), !OneIn(rng, 4)};
    std::vector<RoutingFacts> rows;
    std::vector<int32_t> by_message;
    for (int i = 0; i < 400; ++i) {
      v1::Incident incident = RandomIncident(rng, *map, i);
      incident.set_matter_code(RandomMatterCode(rng, options.catalogue.get()));
      const int repeats = Uniform(rng, 0, 4);
      ASSERT_OK_AND_ASSIGN(RoutingFacts facts, MakeRoutingFacts(incident, repeats, *rules));
      const RouteResult r = rules->Route(facts, capacity);
      const v1::Decision d = rules->Decide(facts, incident.id(), capacity);
      EXPECT_EQ(d.rule_id(), r.rule >= 0 ? rules->proto().rules(r.rule).id() : "");
      if (options.catalogue != nullptr && !IsPoliceMatter(incident)) {
        // The decision names the item of the matter code, or says it fell back.
        const v1::CatalogueAssignment& a = options.catalogue->Assign(incident.matter_code());
        EXPECT_EQ(d.catalogue().item_code(), a.item_code());
        EXPECT_EQ(d.catalogue().fallback(), a.fallback());
        EXPECT_EQ(d.catalogue().department(), a.department());
        EXPECT_EQ(d.catalogue().catalogue_version(), options.catalogue->version());
        EXPECT_EQ(facts.department, a.department());
        (a.fallback() ? fell_back : by_item) += 1;
      } else {
        EXPECT_FALSE(d.has_catalogue());
      }
      by_message.push_back(r.rule);
      rows.push_back(FrameRow(incident, repeats, *rules));
      routed += r.rule >= 0;
      non_police_with_dispute_type += incident.kind() == v1::INCIDENT_KIND_NON_POLICE &&
                                      incident.dispute_type() != v1::DISPUTE_TYPE_UNSPECIFIED;
      non_police_disputes +=
          incident.kind() == v1::INCIDENT_KIND_DISPUTE && !IsPoliceMatter(incident);
    }
    std::vector<int32_t> by_column(by_message.size());
    const testing::FactColumns columns(rows);
    ASSERT_OK(rules->RouteColumns(columns.Columns(), absl::MakeSpan(by_column), capacity));
    for (size_t i = 0; i < by_message.size(); ++i) {
      ASSERT_EQ(by_column[i], by_message[i]) << "trial " << trial << " incident " << i << " policy "
                                             << v1::HitPolicy_Name(rules->hit_policy());
      ++compared;
    }
  }
  EXPECT_GT(compared, 20'000);
  // The properties are not vacuous: most incidents reach a rule, and non-police incidents with
  // a dispute type were among them.
  EXPECT_GT(routed, compared / 3);
  EXPECT_GT(non_police_with_dispute_type, 1'000);
  EXPECT_GT(non_police_disputes, 300);
  EXPECT_GT(by_item, 1'000);
  EXPECT_GT(fell_back, 300);
}

// A non-police debt dispute under a rule on non-police debt disputes (the case that disagreed).
TEST(RoutingPaths, NonPoliceDebtDisputeReachesItsRuleBothWays) {
  const auto map = testing::GeneratedDistrict();
  v1::RuleSet rs;
  rs.set_version("debt");
  v1::Rule* debt = rs.add_rules();
  debt->set_id("non-police-debt");
  debt->mutable_when()->set_police_matter(false);
  debt->mutable_when()->add_dispute_types(v1::DISPUTE_TYPE_DEBT);
  debt->mutable_then()->set_tier(v1::TIER_DEPARTMENT_DIVERSION);
  debt->mutable_then()->set_department(v1::DEPARTMENT_JUDICIAL_OFFICE);
  v1::Rule* fallback = rs.add_rules();
  fallback->set_id("fallback");
  fallback->set_is_default(true);
  fallback->mutable_then()->set_tier(v1::TIER_COMMUNITY_POLICE);
  ASSERT_OK_AND_ASSIGN(auto rules, RuleSet::Compile(RuleSetSource::FromProto(rs), map));
  v1::Incident incident;
  incident.set_id("12345-debt");
  incident.mutable_reported_at()->set_seconds(1791943200);
  incident.set_grid_code(map->proto().areas(map->size() - 1).code());
  incident.set_kind(v1::INCIDENT_KIND_NON_POLICE);
  incident.set_dispute_type(v1::DISPUTE_TYPE_DEBT);
  incident.set_responsible_department(v1::DEPARTMENT_JUDICIAL_OFFICE);
  incident.set_channel(v1::CHANNEL_HOTLINE_12345);
  ASSERT_OK_AND_ASSIGN(RoutingFacts facts, MakeRoutingFacts(incident, 0, *rules));
  EXPECT_EQ(rules->Decide(facts, incident.id()).rule_id(), "non-police-debt");
  const testing::FactColumns columns({FrameRow(incident, 0, *rules)});
  std::vector<int32_t> out(1);
  ASSERT_OK(rules->RouteColumns(columns.Columns(), absl::MakeSpan(out)));
  EXPECT_EQ(out[0], 0);
}

// Random facts over every value of every field, out-of-range numbers included.
RoutingFacts RandomFacts(Rng& rng, const GridMap& map) {
  RoutingFacts f;
  f.area = OneIn(rng, 10) ? -1 : Uniform(rng, 0, map.size() - 1);
  f.kind = static_cast<uint8_t>(Uniform(rng, 0, v1::IncidentKind_ARRAYSIZE + 1));
  f.dispute_type = static_cast<uint8_t>(Uniform(rng, 0, v1::DisputeType_ARRAYSIZE + 1));
  f.severity = static_cast<uint8_t>(Uniform(rng, 0, v1::Severity_ARRAYSIZE + 1));
  f.channel = static_cast<uint8_t>(Uniform(rng, 0, v1::Channel_ARRAYSIZE + 1));
  f.department = static_cast<uint8_t>(Uniform(rng, 0, v1::Department_ARRAYSIZE + 1));
  f.hour = static_cast<uint8_t>(Uniform(rng, 0, 25));
  f.weekday = static_cast<uint8_t>(Uniform(rng, 0, 8));
  f.flags = static_cast<uint8_t>(Uniform(rng, 0, 7));  // injury, violence risk, non-police
  f.amount_fen = Uniform(rng, -1, 5) * 50'000 + Uniform(rng, -1, 1);
  f.party_count = Uniform(rng, -1, 4);
  f.repeat_count = Uniform(rng, -1, 4);
  f.tags = static_cast<uint64_t>(Uniform(rng, 0, 15));
  return f;
}

// Whether `rule` accepts `f` by the matcher written from the protos alone, capacity passing.
bool Accepts(const v1::Rule& rule, const RoutingFacts& f, const GridMap& map) {
  static const std::vector<std::string>* tags =
      new std::vector<std::string>(std::begin(kTags), std::end(kTags));
  if (!rule.when().area_codes().empty()) {
    bool within = false;
    for (const std::string& code : rule.when().area_codes()) {
      for (int a = f.area; a >= 0 && !within; a = map.ParentIndex(a)) {
        within = map.proto().areas(a).code() == code;
      }
    }
    if (!within) return false;
  }
  return testing::NaiveConditionHolds(rule.when(), f, tags, /*capacity_passes=*/true);
}

TEST(RoutingLint, ShadowedAndNeverMatchingRulesAreExactlySoOnRandomFacts) {
  const auto map = testing::GeneratedDistrict();
  Rng rng(7);
  int shadowed = 0, never = 0;
  for (int trial = 0; trial < 3000 && (shadowed < 150 || never < 20); ++trial) {
    v1::RuleSet rs;
    rs.set_version("pair");
    *rs.add_rules() = RandomRule(rng, *map, 0);
    *rs.add_rules() = RandomRule(rng, *map, 1);
    // Make covering likelier: the second rule often narrows the first.
    if (OneIn(rng, 2)) {
      v1::Rule narrowed = rs.rules(0);
      narrowed.set_id("r1");
      narrowed.mutable_when()->MergeFrom(rs.rules(1).when());
      *rs.mutable_rules(1) = narrowed;
    }
    for (const RuleIssue& issue : RuleSet::Lint(RuleSetSource::FromProto(rs), *map)) {
      if (issue.code != "shadowed" && issue.code != "never-matches") continue;
      const int j = issue.rule_id == "r0" ? 0 : 1;
      if (issue.code == "never-matches") {
        ++never;
        for (int k = 0; k < 300; ++k) {
          ASSERT_FALSE(Accepts(rs.rules(j), RandomFacts(rng, *map), *map)) << issue.ToString();
        }
        continue;
      }
      ++shadowed;
      ASSERT_EQ(j, 1) << issue.ToString();
      for (int k = 0; k < 2000; ++k) {
        const RoutingFacts f = RandomFacts(rng, *map);
        if (!Accepts(rs.rules(1), f, *map)) continue;
        ASSERT_TRUE(Accepts(rs.rules(0), f, *map))
            << issue.ToString() << "\n"
            << rs.DebugString() << " on a fact the first rule misses";
      }
    }
  }
  EXPECT_GE(shadowed, 150);
  EXPECT_GE(never, 20);
}

// The order-dependent false finding: a non-police debt/sales rule after a labour rule.
TEST(RoutingLint, ARuleIsShadowedOnlyByOneThatMatchesItsIncidents) {
  const auto map = testing::GeneratedDistrict();
  for (bool b_first : {false, true}) {
    v1::RuleSet rs;
    rs.set_version("order");
    v1::Rule a;
    a.set_id("A");
    a.mutable_when()->add_dispute_types(v1::DISPUTE_TYPE_LABOUR);
    a.mutable_then()->set_tier(v1::TIER_MEDIATOR);
    v1::Rule b;
    b.set_id("B");
    b.mutable_when()->add_dispute_types(v1::DISPUTE_TYPE_DEBT);
    b.mutable_when()->add_dispute_types(v1::DISPUTE_TYPE_SALE);
    b.mutable_when()->set_police_matter(false);
    b.mutable_then()->set_tier(v1::TIER_DEPARTMENT_DIVERSION);
    b.mutable_then()->set_department(v1::DEPARTMENT_MARKET_REGULATION);
    *rs.add_rules() = b_first ? b : a;
    *rs.add_rules() = b_first ? a : b;
    EXPECT_OK(RuleSet::Compile(RuleSetSource::FromProto(rs), map)) << "B first: " << b_first;
  }
}

TEST(RoutingLint, AContradictionIsReportedWhereverTheRuleStands) {
  const auto map = testing::GeneratedDistrict();
  v1::RuleSet rs;
  rs.set_version("never");
  v1::Rule* r = rs.add_rules();
  r->set_id("police-non-police");
  r->mutable_when()->add_kinds(v1::INCIDENT_KIND_NON_POLICE);
  r->mutable_when()->set_police_matter(true);
  r->mutable_then()->set_tier(v1::TIER_MEDIATOR);
  EXPECT_THAT(RuleSet::Compile(RuleSetSource::FromProto(rs), map),
              testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                ::testing::AllOf(::testing::HasSubstr("police-non-police"),
                                                 ::testing::HasSubstr("[never-matches]"))));
}

// Several threads give exactly the decisions of one (issue 17 point 3), batch and columns.
TEST(RoutingThreads, SlicesOnSeveralThreadsGiveTheDecisionsOfOne) {
  const auto map = testing::GeneratedDistrict();
  ASSERT_OK_AND_ASSIGN(
      auto rules,
      RuleSet::Compile(RuleSetSource::FromProto(testing::GeneratedRules(*map, 2000)), map));
  for (int n : {0, 1, 40'000, 100'003}) {
    const std::vector<RoutingFacts> facts = testing::GeneratedFacts(*map, n, 5);
    std::vector<RouteResult> one(n), many(n);
    rules->RouteBatch(facts, absl::MakeSpan(one));
    std::vector<int32_t> columns_one(n), columns_many(n);
    const testing::FactColumns owned(facts);
    const RoutingColumns columns = owned.Columns();
    ASSERT_OK(rules->RouteColumns(columns, absl::MakeSpan(columns_one)));
    for (int threads : {2, 3, 4, 64}) {
      std::fill(many.begin(), many.end(), RouteResult{-7, 0, false});
      rules->RouteBatch(facts, absl::MakeSpan(many), {}, threads);
      for (int i = 0; i < n; ++i) {
        ASSERT_EQ(many[i].rule, one[i].rule) << n << " rows, " << threads << " threads, row " << i;
        ASSERT_EQ(many[i].ambiguous, one[i].ambiguous);
      }
      std::fill(columns_many.begin(), columns_many.end(), -7);
      ASSERT_OK(rules->RouteColumns(columns, absl::MakeSpan(columns_many), {}, threads));
      ASSERT_EQ(columns_many, columns_one) << n << " rows, " << threads << " threads";
    }
  }
}

// Several callers at once, each on several threads of the one pool, get the decisions of one
// thread (the pool keeps its workers across calls and between callers).
TEST(RoutingThreads, CallersSharingThePoolEachGetTheDecisionsOfOne) {
  const auto map = testing::GeneratedDistrict();
  ASSERT_OK_AND_ASSIGN(
      auto rules,
      RuleSet::Compile(RuleSetSource::FromProto(testing::GeneratedRules(*map, 200)), map));
  const std::vector<RoutingFacts> facts = testing::GeneratedFacts(*map, 70'001, 11);
  std::vector<RouteResult> one(facts.size());
  rules->RouteBatch(facts, absl::MakeSpan(one));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> callers;
  for (int c = 0; c < 4; ++c) {
    callers.emplace_back([&, c] {
      std::vector<RouteResult> many(facts.size());
      for (int round = 0; round < 5; ++round) {
        std::fill(many.begin(), many.end(), RouteResult{-7, 0, false});
        rules->RouteBatch(facts, absl::MakeSpan(many), {}, 2 + (c + round) % 3);
        for (size_t i = 0; i < facts.size(); ++i) mismatches[c] += many[i].rule != one[i].rule;
      }
    });
  }
  for (std::thread& t : callers) t.join();
  EXPECT_THAT(mismatches, ::testing::Each(0));
}

// Decision records at engine speed (issue 17 point 1): the compact decisions of DecideBatch,
// built into v1::Decision (one by one, in bulk on an arena, and as wire bytes), and the compact
// explanation built into v1::Explanation, equal Decide's and Explain's messages field by field on
// random rule sets (every hit policy, capacity tests) and random facts (values out of range
// included).
TEST(DecisionRecords, CompactRecordsBuildExactlyWhatDecideAndExplainGive) {
  const auto map = testing::GeneratedDistrict();
  Rng rng(17);
  int compared = 0, diverted = 0, collected = 0, routed = 0, with_catalogue = 0;
  DecisionBatch batch;  // reused across rule sets, as an integrator would
  CompactExplanation compact;
  for (int trial = 0; trial < 80; ++trial) {
    const v1::RuleSet rs =
        Sound(RandomRules(rng, *map, Uniform(rng, 1, 90), kPolicies[trial % 4]), *map);
    if (rs.rules_size() == 0) continue;
    RuleSetOptions options;
    if (trial % 8 >= 4) options.catalogue = RandomCatalogue(rng);
    ASSERT_OK_AND_ASSIGN(auto rules, RuleSet::Compile(RuleSetSource::FromProto(rs), map, options));
    std::vector<CapacityState> capacity(rules->teams().size());
    for (CapacityState& c : capacity) c = {Uniform(rng, 0, 2), OneIn(rng, 2), !OneIn(rng, 4)};
    std::vector<RoutingFacts> facts;
    std::vector<std::string> ids;
    for (int i = 0; i < 300; ++i) {
      facts.push_back(RandomFacts(rng, *map));
      // Any matter, in range or not (a caller's facts): records and Decide must still agree.
      if (options.catalogue != nullptr) {
        facts.back().matter = Uniform(rng, -3, options.catalogue->size());
      }
      ids.push_back(absl::StrCat("t", trial, "-", i));
    }
    rules->DecideBatch(facts, &batch, capacity);
    ASSERT_EQ(batch.decisions.size(), facts.size());
    google::protobuf::Arena arena;
    ASSERT_OK_AND_ASSIGN(std::vector<v1::Decision*> bulk,
                         rules->BuildDecisions(batch, ids, &arena));
    for (size_t i = 0; i < facts.size(); ++i) {
      const v1::Decision expected = rules->Decide(facts[i], ids[i], capacity);
      v1::Decision built;
      ASSERT_OK(rules->BuildDecision(batch, i, ids[i], &built));
      ASSERT_TRUE(google::protobuf::util::MessageDifferencer::Equals(built, expected))
          << "policy " << v1::HitPolicy_Name(rules->hit_policy()) << " row " << i << "\nbuilt "
          << built.DebugString() << "\nDecide " << expected.DebugString();
      ASSERT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*bulk[i], expected));
      std::string bytes = "kept";  // appended to
      ASSERT_OK(rules->AppendDecisionBytes(batch, i, ids[i], &bytes));
      ASSERT_EQ(bytes, "kept" + expected.SerializeAsString()) << "row " << i;
      const CompactDecision& r = batch.decisions[i];
      EXPECT_EQ(r.rule, rules->Route(facts[i], capacity).rule);
      EXPECT_EQ(r.action, r.rule >= 0 ? rules->action_of_rule()[r.rule] : -1);

      rules->ExplainCompact(facts[i], capacity, &compact);
      v1::Explanation explained;
      ASSERT_OK(rules->BuildExplanation(compact, ids[i], &explained));
      const v1::Explanation expected_explanation = rules->Explain(facts[i], ids[i], capacity);
      ASSERT_TRUE(
          google::protobuf::util::MessageDifferencer::Equals(explained, expected_explanation))
          << "policy " << v1::HitPolicy_Name(rules->hit_policy()) << " row " << i << "\nbuilt "
          << explained.DebugString() << "\nExplain " << expected_explanation.DebugString();
      ++compared;
      diverted += expected.capacity_diversions_size() > 0;
      collected += expected.all_rule_ids_size() > 0;
      routed += !expected.rule_id().empty();
      with_catalogue += expected.has_catalogue();
    }
  }
  EXPECT_GT(with_catalogue, 1'000);
  EXPECT_GT(compared, 15'000);
  // Not vacuous: decisions with rules, capacity diversions and COLLECT lists were among them.
  EXPECT_GT(routed, compared / 4);
  EXPECT_GT(diverted, 100);
  EXPECT_GT(collected, 1'000);
}

// BuildDecision refuses a row past the batch, another rule set's record and indices the rule set
// does not have; BuildDecisions wants an arena and one incident id per row.
TEST(DecisionRecords, RefusesRowsItDidNotDecide) {
  const auto map = testing::GeneratedDistrict();
  ASSERT_OK_AND_ASSIGN(
      auto rules,
      RuleSet::Compile(RuleSetSource::FromProto(testing::GeneratedRules(*map, 200)), map));
  ASSERT_OK_AND_ASSIGN(
      auto other,
      RuleSet::Compile(RuleSetSource::FromProto(testing::GeneratedRules(*map, 20)), map));
  const std::vector<RoutingFacts> facts = testing::GeneratedFacts(*map, 10, 3);
  DecisionBatch batch;
  rules->DecideBatch(facts, &batch);
  v1::Decision d;
  EXPECT_THAT(rules->BuildDecision(batch, 10, "x", &d),
              testing::StatusIs(absl::StatusCode::kOutOfRange, ::testing::_));
  EXPECT_THAT(other->BuildDecision(batch, 0, "x", &d),
              testing::StatusIs(absl::StatusCode::kFailedPrecondition,
                                ::testing::HasSubstr(other->hash())));
  DecisionBatch forged = batch;
  forged.decisions[0].rule = rules->proto().rules_size();
  EXPECT_THAT(rules->BuildDecision(forged, 0, "x", &d),
              testing::StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
  forged = batch;
  forged.decisions[0].diversions = 3;
  EXPECT_THAT(rules->BuildDecision(forged, 0, "x", &d),
              testing::StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
  std::string bytes;
  EXPECT_THAT(rules->AppendDecisionBytes(forged, 0, "x", &bytes),
              testing::StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
  EXPECT_THAT(other->AppendDecisionBytes(batch, 0, "x", &bytes),
              testing::StatusIs(absl::StatusCode::kFailedPrecondition, ::testing::_));
  EXPECT_EQ(bytes, "");
  google::protobuf::Arena arena;
  EXPECT_THAT(rules->BuildDecisions(batch, std::vector<std::string>(9, "x"), &arena).status(),
              testing::StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
  EXPECT_THAT(rules->BuildDecisions(batch, std::vector<std::string>(10, "x"), nullptr).status(),
              testing::StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Decision*> built,
                       rules->BuildDecisions(batch, std::vector<std::string>(10, "x"), &arena));
  EXPECT_EQ(built.size(), 10u);
  EXPECT_EQ(built[0]->GetArena(), &arena);
}

}  // namespace
}  // namespace fengqiao
