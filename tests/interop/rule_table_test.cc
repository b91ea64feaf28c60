// Routing rule tables out to GoRules JDM and DMN 1.3 and back: the round trip keeps the rule
// set's hash (sample rules, generated tables under every hit policy, random conditions over
// every field), and every table that says what routing facts cannot hold is refused with its
// place, row, column and expression.
#include "fengqiao/interop/rule_table.h"

#include <memory>
#include <random>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "fengqiao/routing/rule_source.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/generated_rules.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::testing::HasSubstr;

constexpr RuleTableFormat kFormats[] = {RuleTableFormat::kJdm, RuleTableFormat::kDmn};

std::shared_ptr<const GridMap> SampleMap() {
  return *GridMap::Load(FENGQIAO_SOURCE_DIR "/examples/data/grid_map.textproto");
}

std::shared_ptr<const RuleSet> Compile(const v1::RuleSet& proto,
                                       std::shared_ptr<const GridMap> map) {
  absl::StatusOr<std::shared_ptr<const RuleSet>> r =
      RuleSet::Compile(RuleSetSource::FromProto(proto), std::move(map));
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : nullptr;
}

// Export, import, compile: the same hash and the same merged proto.
void ExpectRoundTrip(const RuleSet& rules, RuleTableFormat format) {
  SCOPED_TRACE(format == RuleTableFormat::kJdm ? "jdm" : "dmn");
  ASSERT_OK_AND_ASSIGN(std::string table, ExportRuleTable(rules, format));
  ASSERT_OK_AND_ASSIGN(v1::RuleSet back, ImportRuleTable(table, format, "table"));
  EXPECT_EQ(back.DebugString(), rules.proto().DebugString());
  std::shared_ptr<const RuleSet> again = Compile(back, rules.shared_grid_map());
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->hash(), rules.hash());
}

TEST(RuleTable, SampleDistrictAndStreetRoundTrip) {
  auto map = SampleMap();
  for (const char* file : {"district.textproto", "street_qd.textproto"}) {
    SCOPED_TRACE(file);
    ASSERT_OK_AND_ASSIGN(
        RuleSetSource source,
        RuleSetSource::Load(absl::StrCat(FENGQIAO_SOURCE_DIR "/examples/data/rules/", file)));
    ASSERT_OK_AND_ASSIGN(std::shared_ptr<const RuleSet> rules, RuleSet::Compile(source, map));
    for (RuleTableFormat f : kFormats) ExpectRoundTrip(*rules, f);
  }
}

// The generated tables of the benchmarks, and the same under PRIORITY (local overrides ranked
// above the city-wide rules, shuffled among themselves), COLLECT and UNIQUE (grid overrides).
TEST(RuleTable, GeneratedTablesRoundTripUnderEveryHitPolicy) {
  auto map = testing::GeneratedDistrict();
  for (int total : {20, 200, 2000}) {
    v1::RuleSet first = testing::GeneratedRules(*map, total);
    for (RuleTableFormat f : kFormats) ExpectRoundTrip(*Compile(first, map), f);
  }
  v1::RuleSet priority = testing::GeneratedRules(*map, 200);
  priority.set_hit_policy(v1::HIT_POLICY_PRIORITY);
  std::mt19937 rng(5);
  for (int i = 0; i < priority.rules_size(); ++i) {
    v1::Rule* r = priority.mutable_rules(i);
    const int city = i - (priority.rules_size() - 20);
    if (city >= 0) {
      r->set_priority((19 - city) / 2);
    } else {
      r->set_priority(absl::StartsWith(r->id(), "grid-") ? 20 + static_cast<int>(rng() % 20)
                                                         : 10 + static_cast<int>(rng() % 10));
    }
  }
  v1::RuleSet collect = testing::GeneratedRules(*map, 220);
  collect.mutable_rules()->DeleteSubrange(200, 20);
  collect.set_hit_policy(v1::HIT_POLICY_COLLECT);
  v1::RuleSet unique = collect;
  unique.mutable_rules()->DeleteSubrange(190, 10);  // street overrides may overlap grid ones
  unique.set_hit_policy(v1::HIT_POLICY_UNIQUE);
  for (const v1::RuleSet* set : {&priority, &collect, &unique}) {
    std::shared_ptr<const RuleSet> rules = Compile(*set, map);
    ASSERT_NE(rules, nullptr);
    for (RuleTableFormat f : kFormats) ExpectRoundTrip(*rules, f);
  }
}

// Random rules over every condition field, action field and SLA clock.
TEST(RuleTable, RandomConditionsOverEveryFieldRoundTrip) {
  auto map = testing::GeneratedDistrict();
  std::vector<std::string> grids;
  for (const v1::Area& a : map->proto().areas()) {
    if (a.level() == v1::AREA_LEVEL_GRID) grids.push_back(a.code());
  }
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 rng(seed);
    v1::RuleSet rs;
    rs.set_name(absl::StrCat("random ", seed, " 规则 \"quoted\" <x> & y"));
    rs.set_version(absl::StrCat("v", seed));
    rs.set_hit_policy(v1::HIT_POLICY_FIRST);
    for (int i = 0; i < 30; ++i) {
      v1::Rule* r = rs.add_rules();
      r->set_id(absl::StrCat("r-", i));
      if (rng() % 2) r->set_description(absl::StrCat("规则 ", i, " <&> \"q\" 'a'\nline 2"));
      if (rng() % 3 == 0) r->set_priority(static_cast<int>(rng() % 100) - 50);
      v1::Condition* w = r->mutable_when();
      // A grid of its own keeps the rules disjoint, so the lint has nothing to refuse.
      w->add_area_codes(grids[i]);
      if (rng() % 2) w->add_area_codes(grids[i + 100]);
      auto pick = [&](const google::protobuf::EnumDescriptor* e, auto add) {
        if (rng() % 2) return;
        const int n = 1 + static_cast<int>(rng() % 3);
        for (int k = 0; k < n; ++k)
          add(e->value(1 + static_cast<int>(rng() % (e->value_count() - 1)))->number());
      };
      if (rng() % 2) {
        w->set_police_matter(rng() % 2);
      } else {
        pick(v1::IncidentKind_descriptor(), [&](int v) { w->add_kinds(v1::IncidentKind(v)); });
      }
      pick(v1::DisputeType_descriptor(), [&](int v) { w->add_dispute_types(v1::DisputeType(v)); });
      pick(v1::Severity_descriptor(), [&](int v) { w->add_severities(v1::Severity(v)); });
      pick(v1::Channel_descriptor(), [&](int v) { w->add_channels(v1::Channel(v)); });
      pick(v1::Department_descriptor(), [&](int v) { w->add_departments(v1::Department(v)); });
      pick(v1::Weekday_descriptor(), [&](int v) { w->add_days_of_week(v1::Weekday(v)); });
      auto range = [&](v1::Int64Range* out, int64_t lo, int64_t hi) {
        const int64_t a = lo + static_cast<int64_t>(rng() % static_cast<uint64_t>(hi - lo + 1));
        switch (rng() % 3) {
          case 0:
            out->set_min(a);
            break;
          case 1:
            out->set_max(a);
            break;
          default:
            out->set_min(a);
            out->set_max(a + static_cast<int64_t>(rng() % 5));
        }
      };
      if (rng() % 2) range(w->mutable_amount_fen(), 0, 10'000'000);
      if (rng() % 2) range(w->mutable_party_count(), 1, 5);
      if (rng() % 2) range(w->mutable_repeat_count(), 0, 3);
      if (rng() % 2) range(w->mutable_hour_of_day(), 0, 19);
      if (rng() % 3 == 0) w->set_injury(rng() % 2);
      if (rng() % 3 == 0) w->set_violence_risk(rng() % 2);
      if (rng() % 3 == 0) w->add_tags_all("maritime");
      if (rng() % 4 == 0) w->add_tags_all("校园");
      if (rng() % 3 == 0) {
        v1::CapacityTest* c = w->add_capacity();
        c->set_team_id(rng() % 2 ? "t-a" : "t-b");
        c->set_min_free_slots(static_cast<int>(rng() % 3));
        c->set_require_on_shift(rng() % 2);
      }
      v1::Action* a = r->mutable_then();
      a->set_tier(v1::Tier(1 + rng() % 7));
      if (a->tier() == v1::TIER_DEPARTMENT_DIVERSION) a->set_department(v1::DEPARTMENT_LABOUR);
      if (rng() % 2) a->set_target_force_type(v1::FORCE_TYPE_POLICE);
      if (rng() % 2) a->set_target_team_id("t-a");
      if (rng() % 2) a->mutable_sla()->mutable_accept()->set_seconds(60 * (rng() % 30));
      if (rng() % 2) a->mutable_sla()->mutable_resolve()->set_seconds(86400);
      if (rng() % 4 == 0) a->mutable_sla()->mutable_contact()->set_nanos(500'000'000);
    }
    v1::Rule* d = rs.add_rules();
    d->set_id("default");
    d->set_is_default(true);
    d->mutable_then()->set_tier(v1::TIER_COMMUNITY_POLICE);
    RuleSetOptions options;
    options.known_teams = {"t-a", "t-b"};
    absl::StatusOr<std::shared_ptr<const RuleSet>> rules =
        RuleSet::Compile(RuleSetSource::FromProto(rs), map, options);
    ASSERT_TRUE(rules.ok()) << "seed " << seed << ": " << rules.status();
    for (RuleTableFormat f : kFormats) {
      SCOPED_TRACE(absl::StrCat("seed ", seed));
      ASSERT_OK_AND_ASSIGN(std::string table, ExportRuleTable(**rules, f));
      ASSERT_OK_AND_ASSIGN(v1::RuleSet back, ImportRuleTable(table, f, "table"));
      EXPECT_EQ(back.DebugString(), rs.DebugString());
      absl::StatusOr<std::shared_ptr<const RuleSet>> again =
          RuleSet::Compile(RuleSetSource::FromProto(back), map, options);
      ASSERT_TRUE(again.ok()) << again.status();
      EXPECT_EQ((*again)->hash(), (*rules)->hash());
    }
  }
}

TEST(RuleTable, ExportNamesTheRuleNoCellCanHold) {
  auto map = testing::GeneratedDistrict();
  v1::RuleSet rs = testing::GeneratedRules(*map, 20);
  v1::Condition* w = rs.mutable_rules(3)->mutable_when();
  w->add_capacity()->set_team_id("t-a");
  w->add_capacity()->set_team_id("t-a");
  RuleSetOptions options;
  options.known_teams = {"t-a"};
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const RuleSet> rules,
                       RuleSet::Compile(RuleSetSource::FromProto(rs), map, options));
  for (RuleTableFormat f : kFormats) {
    absl::StatusOr<std::string> out = ExportRuleTable(*rules, f);
    ASSERT_FALSE(out.ok());
    EXPECT_THAT(out.status().message(), HasSubstr("rules[3] (rule \"divert-city-mgmt\")"));
    EXPECT_THAT(out.status().message(), HasSubstr("two capacity tests on team \"t-a\""));
  }
  v1::RuleSet quoted = testing::GeneratedRules(*map, 20);
  quoted.mutable_rules(0)->mutable_when()->add_tags_all("it's");
  ASSERT_OK_AND_ASSIGN(rules, RuleSet::Compile(RuleSetSource::FromProto(quoted), map));
  absl::StatusOr<std::string> out = ExportRuleTable(*rules, RuleTableFormat::kDmn);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("when.tags_all: a quote"));
}

class RuleTableImport : public ::testing::Test {
 protected:
  void SetUp() override {
    auto map = SampleMap();
    ASSERT_OK_AND_ASSIGN(
        RuleSetSource source,
        RuleSetSource::Load(FENGQIAO_SOURCE_DIR "/examples/data/rules/district.textproto"));
    ASSERT_OK_AND_ASSIGN(rules_, RuleSet::Compile(source, map));
    ASSERT_OK_AND_ASSIGN(jdm_, ExportRuleTable(*rules_, RuleTableFormat::kJdm));
    ASSERT_OK_AND_ASSIGN(dmn_, ExportRuleTable(*rules_, RuleTableFormat::kDmn));
  }
  // The exported table with `from` replaced by `to` (once), imported.
  static absl::Status Edited(const std::string& table, RuleTableFormat f, const std::string& from,
                             const std::string& to) {
    std::string edited = table;
    const size_t at = edited.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) edited.replace(at, from.size(), to);
    return ImportRuleTable(edited, f, f == RuleTableFormat::kJdm ? "t.json" : "t.dmn").status();
  }
  std::shared_ptr<const RuleSet> rules_;
  std::string jdm_, dmn_;
};

TEST_F(RuleTableImport, AnExpressionOutsideTheSubsetIsRefusedWithRowColumnAndText) {
  // Row 2 is crime-and-public-order; its kind cell.
  absl::Status s =
      Edited(jdm_, RuleTableFormat::kJdm, "\"kind\": \"'criminal', 'public_order', 'fraud'\"",
             "\"kind\": \"$ != 'criminal'\"");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.message()),
              ::testing::MatchesRegex(
                  "t\\.json:[0-9]+:[0-9]+: row 2 \\(rule \"crime-and-public-order\"\\), "
                  "column \"kind\": cannot express \"\\$ != 'criminal'\".*"));
  s = Edited(dmn_, RuleTableFormat::kDmn,
             "<text>&quot;criminal&quot;, &quot;public_order&quot;, &quot;fraud&quot;</text>",
             "<text>not(&quot;criminal&quot;)</text>");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.message()),
              ::testing::MatchesRegex("t\\.dmn:[0-9]+:[0-9]+: row 2 \\(rule \"rule-2\"\\), column "
                                      "\"kind\": cannot express \"not\\(\"criminal\"\\)\".*"));
  // A range with a non-integer bound, an OR across columns, a not-on-shift capacity test.
  s = Edited(dmn_, RuleTableFormat::kDmn, "<text>true</text>", "<text>? or true</text>");
  EXPECT_THAT(s.message(), HasSubstr("column \"violence_risk\": cannot express \"? or true\""));
  s = Edited(jdm_, RuleTableFormat::kJdm, "\"amount_fen\": \"\"", "\"amount_fen\": \"> 1.5\"");
  EXPECT_THAT(s.message(), HasSubstr("\"1.5\" is not an integer"));
  s = Edited(jdm_, RuleTableFormat::kJdm, "\"amount_fen\": \"\"",
             "\"amount_fen\": \"[1..99999999999999999999]\"");
  EXPECT_THAT(s.message(), HasSubstr("is not an integer"));
  s = Edited(jdm_, RuleTableFormat::kJdm, "\"capacity.t-mediators.on_shift\": \"true\"",
             "\"capacity.t-mediators.on_shift\": \"false\"");
  EXPECT_THAT(s.message(), HasSubstr("column \"capacity.t-mediators.on_shift\""));
}

TEST_F(RuleTableImport, UnknownEnumNamesAndNumbersAreRefused) {
  absl::Status s = Edited(jdm_, RuleTableFormat::kJdm, "'criminal'", "'burglary'");
  EXPECT_THAT(s.message(), HasSubstr("column \"kind\""));
  EXPECT_THAT(s.message(), HasSubstr("burglary"));
  s = Edited(dmn_, RuleTableFormat::kDmn, "&quot;police_dispatch&quot;", "&quot;99&quot;");
  EXPECT_THAT(s.message(), HasSubstr("column \"tier\""));
  s = Edited(dmn_, RuleTableFormat::kDmn, "&quot;criminal&quot;", "criminal");
  EXPECT_THAT(s.message(), HasSubstr("expected a list of quoted IncidentKind names"));
}

TEST_F(RuleTableImport, ColumnsAndHitPoliciesWithoutARoutingEquivalentAreRefused) {
  absl::Status s =
      Edited(jdm_, RuleTableFormat::kJdm, "\"field\": \"hour\"", "\"field\": \"customer.age\"");
  EXPECT_THAT(
      std::string(s.message()),
      ::testing::MatchesRegex("t\\.json:[0-9]+:[0-9]+: input column \"customer.age\" is not a "
                              "routing fact.*"));
  s = Edited(dmn_, RuleTableFormat::kDmn, "hitPolicy=\"FIRST\"", "hitPolicy=\"RULE ORDER\"");
  EXPECT_THAT(std::string(s.message()),
              ::testing::MatchesRegex("t\\.dmn:4:5: hit policy RULE ORDER has no.*"));
  s = Edited(dmn_, RuleTableFormat::kDmn, "hitPolicy=\"FIRST\"",
             "hitPolicy=\"COLLECT\" aggregation=\"SUM\"");
  EXPECT_THAT(s.message(), HasSubstr("aggregation"));
  s = Edited(jdm_, RuleTableFormat::kJdm, "\"hitPolicy\": \"first\",\n",
             "\"hitPolicy\": \"any\",\n");
  EXPECT_THAT(s.message(), HasSubstr("hit policy \"any\" has no routing equivalent"));
  s = Edited(jdm_, RuleTableFormat::kJdm, "\"type\": \"outputNode\"", "\"type\": \"functionNode\"");
  EXPECT_THAT(s.message(), HasSubstr("\"functionNode\" node has no routing equivalent"));
  s = Edited(dmn_, RuleTableFormat::kDmn, "name=\"tier\"", "name=\"discount\"");
  EXPECT_THAT(s.message(), HasSubstr("output \"discount\" is not part of a routing action"));
}

TEST_F(RuleTableImport, WrongTypesMissingPartsAndMalformedTextAreLocated) {
  absl::Status s = Edited(jdm_, RuleTableFormat::kJdm,
                          "\"kind\": \"'criminal', 'public_order', 'fraud'\"", "\"kind\": 7");
  EXPECT_THAT(s.message(), HasSubstr("cell \"kind\" must be a string, not a number"));
  s = Edited(jdm_, RuleTableFormat::kJdm, "\"nodes\": [", "\"nodez\": [");
  EXPECT_THAT(s.message(), HasSubstr("\"nodes\" is missing"));
  s = Edited(jdm_, RuleTableFormat::kJdm, "\"rules\": [", "\"rules\": {\"a\": [");
  EXPECT_THAT(s.message(), HasSubstr("JSON syntax error"));
  s = ImportRuleTable("[1, 2]", RuleTableFormat::kJdm, "t.json").status();
  EXPECT_THAT(s.message(), HasSubstr("t.json:1:1:"));
  s = ImportRuleTable("{\"nodes\": [{\"type\": \"inputNode\"}, ", RuleTableFormat::kJdm, "t.json")
          .status();
  EXPECT_THAT(std::string(s.message()),
              ::testing::MatchesRegex("t\\.json:1:[0-9]+: JSON syntax error.*"));
  s = Edited(dmn_, RuleTableFormat::kDmn, "</decisionTable>", "</decisionTabel>");
  EXPECT_THAT(std::string(s.message()),
              ::testing::MatchesRegex("t\\.dmn:[0-9]+:[0-9]+: XML error: mismatched tag"));
  s = ImportRuleTable("<!DOCTYPE d [<!ENTITY a \"aaaa\">]><definitions/>", RuleTableFormat::kDmn,
                      "t.dmn")
          .status();
  EXPECT_THAT(s.message(), HasSubstr("DOCTYPE is not accepted"));
  s = ImportRuleTable("<definitions xmlns=\"urn:other\"/>", RuleTableFormat::kDmn, "t.dmn")
          .status();
  EXPECT_THAT(s.message(), HasSubstr("t.dmn:1:1: not a DMN document"));
  s = Edited(
      dmn_, RuleTableFormat::kDmn,
      "<outputEntry id=\"rule-1-output-1\"><text>&quot;violence-risk&quot;</text></outputEntry>",
      "");
  EXPECT_THAT(s.message(),
              HasSubstr("row 1 has 17 input and 12 output entries for 17 inputs and 13 outputs"));
  std::string deep = "<definitions xmlns=\"https://www.omg.org/spec/DMN/20191111/MODEL/\">";
  for (int i = 0; i < 100; ++i) deep += "<a>";
  s = ImportRuleTable(deep, RuleTableFormat::kDmn, "t.dmn").status();
  EXPECT_THAT(s.message(), HasSubstr("deeper than 64"));
}

TEST_F(RuleTableImport, InvalidUtf8AndHugeInputAreRefused) {
  for (RuleTableFormat f : kFormats) {
    std::string table = f == RuleTableFormat::kJdm ? jdm_ : dmn_;
    const size_t at = table.find("violence-risk");
    table[at] = '\xff';
    absl::Status s = ImportRuleTable(table, f, "t").status();
    ASSERT_FALSE(s.ok());
    EXPECT_THAT(std::string(s.message()), ::testing::MatchesRegex("t:[0-9]+:[0-9]+: .*"));
    RuleTableOptions small;
    small.max_bytes = 1000;
    s = ImportRuleTable(f == RuleTableFormat::kJdm ? jdm_ : dmn_, f, "t", small).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  }
  absl::Status s = LoadRuleTable("/nonexistent/table.json", RuleTableFormat::kJdm).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  s = LoadRuleTable(FENGQIAO_SOURCE_DIR "/examples", RuleTableFormat::kDmn).status();
  EXPECT_FALSE(s.ok());
}

TEST(RuleTable, FormatNames) {
  ASSERT_OK_AND_ASSIGN(RuleTableFormat f, ParseRuleTableFormat("DMN"));
  EXPECT_EQ(f, RuleTableFormat::kDmn);
  ASSERT_OK_AND_ASSIGN(f, ParseRuleTableFormat("jdm"));
  EXPECT_EQ(f, RuleTableFormat::kJdm);
  EXPECT_THAT(ParseRuleTableFormat("bpmn").status().message(), HasSubstr("expected jdm"));
}

// The input object: the area path grid first, enums by short name, unknown kinds as null, the
// tags the rules name, capacity of the known teams only.
TEST(RuleTable, InputObjectCarriesWhatTheEnginesCannotCompute) {
  auto map = SampleMap();
  ASSERT_OK_AND_ASSIGN(
      RuleSetSource source,
      RuleSetSource::Load(FENGQIAO_SOURCE_DIR "/examples/data/rules/street_qd.textproto"));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const RuleSet> rules, RuleSet::Compile(source, map));
  RoutingFacts f;
  f.area = map->AreaIndex("xc-lc-c1-g1");
  f.kind = v1::INCIDENT_KIND_DISPUTE;
  f.dispute_type = v1::DISPUTE_TYPE_LABOUR;
  f.severity = v1::SEVERITY_SIMPLE;
  f.weekday = 3;
  f.tags = rules->TagBit("maritime");
  std::vector<CapacityState> capacity(rules->teams().size());
  capacity[0] = {2, true, true};
  const std::string input = RuleTableInput(*rules, f, capacity);
  EXPECT_THAT(input, HasSubstr("\"area\": [\"xc-lc-c1-g1\", \"xc-lc-c1\", \"xc-lc\""));
  EXPECT_THAT(input, HasSubstr("\"police_matter\": true, \"kind\": \"dispute\", "
                               "\"dispute_type\": \"labour\", \"severity\": \"simple\""));
  EXPECT_THAT(input, HasSubstr("\"weekday\": \"wednesday\""));
  EXPECT_THAT(input, HasSubstr("\"tags\": [\"maritime\"]"));
  EXPECT_THAT(input, HasSubstr(absl::StrCat("\"capacity\": {\"", rules->teams()[0],
                                            "\": {\"free_slots\": 2, \"on_shift\": true}}")));
  f.kind = 0;
  f.area = -1;
  EXPECT_THAT(RuleTableInput(*rules, f), HasSubstr("\"area\": [], \"police_matter\": null"));
}

}  // namespace
}  // namespace fengqiao
