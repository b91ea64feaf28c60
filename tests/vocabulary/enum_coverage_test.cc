// Every value of every enum that routing and metrics read is accepted by both, found through the
// descriptors (a value or a condition field added to a proto is covered without editing this
// test): a rule naming only that value compiles and catches an incident carrying it; a case
// record carrying it lands in a group of its own, labelled with the value's display name.
#include <functional>
#include <map>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "fengqiao/metrics/case_metrics.h"
#include "fengqiao/routing/rule_set.h"
#include "fengqiao/v1/force.pb.h"
#include "fengqiao/v1/routing.pb.h"
#include "fengqiao/vocabulary.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"
#include "gtest/gtest.h"
#include "testing/sample_district.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

namespace pb = google::protobuf;

// How an incident carries the value a condition field tests. A repeated enum field of Condition
// missing here fails the test: routing would have a condition no incident can be shown to meet.
using Carry = std::function<void(int value, v1::Incident*)>;
const std::map<std::string, Carry>& Carriers() {
  static const auto* carriers = new std::map<std::string, Carry>{
      {"kinds", [](int v, v1::Incident* i) { i->set_kind(static_cast<v1::IncidentKind>(v)); }},
      {"dispute_types",
       [](int v, v1::Incident* i) { i->set_dispute_type(static_cast<v1::DisputeType>(v)); }},
      {"severities", [](int v, v1::Incident* i) { i->set_severity(static_cast<v1::Severity>(v)); }},
      {"channels", [](int v, v1::Incident* i) { i->set_channel(static_cast<v1::Channel>(v)); }},
      {"departments",
       [](int v, v1::Incident* i) {
         i->set_responsible_department(static_cast<v1::Department>(v));
       }},
      {"days_of_week",
       [](int v, v1::Incident* i) {
         // 2026-10-12 is a Monday; noon in Beijing.
         const absl::CivilSecond noon(2026, 10, 11 + v, 12, 0, 0);
         i->mutable_reported_at()->set_seconds(
             absl::ToUnixSeconds(absl::FromCivil(noon, ChinaTimeZone())));
       }},
  };
  return *carriers;
}

TEST(EnumCoverage, EveryValueOfEveryConditionEnumIsRoutable) {
  ASSERT_OK_AND_ASSIGN(auto map, GridMap::Parse(testing::TinyGridMapText(), "tiny.textproto"));
  const pb::Descriptor* condition = v1::Condition::descriptor();
  int checked = 0;
  for (int f = 0; f < condition->field_count(); ++f) {
    const pb::FieldDescriptor* field = condition->field(f);
    if (field->type() != pb::FieldDescriptor::TYPE_ENUM) continue;
    ASSERT_TRUE(field->is_repeated()) << field->name();
    auto carrier = Carriers().find(field->name());
    ASSERT_NE(carrier, Carriers().end())
        << "Condition." << field->name() << " has no incident field in this test";
    for (int number : EnumNumbers(field->enum_type())) {
      if (number == 0) continue;
      const std::string what = absl::StrCat(field->name(), " = ", number);
      v1::RuleSet rs;
      rs.set_version("coverage");
      v1::Rule* only = rs.add_rules();
      only->set_id("only");
      only->mutable_then()->set_tier(v1::TIER_MEDIATOR);
      only->mutable_when()->GetReflection()->AddEnumValue(only->mutable_when(), field, number);
      v1::Rule* other = rs.add_rules();
      other->set_id("other");
      other->set_is_default(true);
      other->mutable_then()->set_tier(v1::TIER_COMMUNITY_POLICE);
      SCOPED_TRACE(what);
      ASSERT_OK_AND_ASSIGN(auto rules, RuleSet::Compile(RuleSetSource::FromProto(rs), map));
      v1::Incident incident;
      incident.set_id("coverage");
      incident.set_grid_code("g11");
      incident.mutable_reported_at()->set_seconds(1791943200);
      carrier->second(number, &incident);
      ASSERT_OK_AND_ASSIGN(RoutingFacts facts, MakeRoutingFacts(incident, 0, *rules));
      EXPECT_EQ(rules->Decide(facts, incident.id()).rule_id(), "only");
      ++checked;
    }
  }
  EXPECT_GT(checked, 40);
}

TEST(EnumCoverage, EveryActionEnumValueIsADecision) {
  ASSERT_OK_AND_ASSIGN(auto map, GridMap::Parse(testing::TinyGridMapText(), "tiny.textproto"));
  const pb::Descriptor* action = v1::Action::descriptor();
  for (int f = 0; f < action->field_count(); ++f) {
    const pb::FieldDescriptor* field = action->field(f);
    if (field->type() != pb::FieldDescriptor::TYPE_ENUM) continue;
    for (int number : EnumNumbers(field->enum_type())) {
      if (number == 0) continue;
      v1::RuleSet rs;
      rs.set_version("actions");
      v1::Rule* r = rs.add_rules();
      r->set_id("r");
      r->set_is_default(true);
      r->mutable_then()->set_tier(v1::TIER_DEPARTMENT_DIVERSION);
      r->mutable_then()->set_department(v1::DEPARTMENT_COMMUNITY);
      r->mutable_then()->GetReflection()->SetEnumValue(r->mutable_then(), field, number);
      if (r->then().tier() == v1::TIER_DEPARTMENT_DIVERSION &&
          r->then().department() == v1::DEPARTMENT_UNSPECIFIED) {
        continue;
      }
      SCOPED_TRACE(absl::StrCat(field->name(), " = ", number));
      ASSERT_OK_AND_ASSIGN(auto rules, RuleSet::Compile(RuleSetSource::FromProto(rs), map));
      RoutingFacts facts;
      facts.area = map->AreaIndex("g11");
      const v1::Decision d = rules->Decide(facts, "x");
      EXPECT_EQ(d.action().GetReflection()->GetEnumValue(d.action(), field), number);
    }
  }
}

// Each record carries one value; grouped by the dimension, each value is a group of one, keyed
// by its display name (categories: "dispute: <name>" for dispute types).
struct DimensionCase {
  v1::Dimension dimension;
  const pb::EnumDescriptor* values;
  std::function<void(int, CaseRecord*)> carry;
  std::function<std::string(int)> label;
};

TEST(EnumCoverage, EveryValueOfEveryReportedEnumIsItsOwnMetricsGroup) {
  ASSERT_OK_AND_ASSIGN(auto map, GridMap::Parse(testing::TinyGridMapText(), "tiny.textproto"));
  auto display = [](const pb::EnumDescriptor* e) {
    return [e](int v) { return std::string(LabelOf(e, v).display); };
  };
  const std::vector<DimensionCase> cases = {
      {v1::DIMENSION_CHANNEL, v1::Channel_descriptor(),
       [](int v, CaseRecord* r) { r->channel = static_cast<uint8_t>(v); },
       display(v1::Channel_descriptor())},
      {v1::DIMENSION_TIER, v1::Tier_descriptor(),
       [](int v, CaseRecord* r) { r->tier = static_cast<uint8_t>(v); },
       display(v1::Tier_descriptor())},
      {v1::DIMENSION_FORCE, v1::ForceType_descriptor(),
       [](int v, CaseRecord* r) { r->force = static_cast<uint8_t>(v); },
       display(v1::ForceType_descriptor())},
      {v1::DIMENSION_CATEGORY, v1::DisputeType_descriptor(),
       [](int v, CaseRecord* r) {
         r->kind = v1::INCIDENT_KIND_DISPUTE;
         r->dispute_type = static_cast<uint8_t>(v);
       },
       [](int v) {
         return absl::StrCat("dispute: ", LabelOf(v1::DisputeType_descriptor(), v).display);
       }},
      {v1::DIMENSION_CATEGORY, v1::Department_descriptor(),
       [](int v, CaseRecord* r) {
         r->kind = v1::INCIDENT_KIND_NON_POLICE;
         r->department = static_cast<uint8_t>(v);
       },
       display(v1::Department_descriptor())},
      {v1::DIMENSION_CATEGORY, v1::IncidentKind_descriptor(),
       [](int v, CaseRecord* r) { r->kind = static_cast<uint8_t>(v); },
       display(v1::IncidentKind_descriptor())},
  };
  const absl::TimeZone tz = ChinaTimeZone();
  for (const DimensionCase& c : cases) {
    MetricsOptions options;
    options.period_start = absl::FromCivil(absl::CivilDay(2026, 10, 1), tz);
    options.period_end = absl::FromCivil(absl::CivilDay(2026, 11, 1), tz);
    options.group_by = {c.dimension};
    ASSERT_OK_AND_ASSIGN(auto metrics, CaseMetrics::Create(*map, options));
    std::set<std::string> expected;
    for (int number : EnumNumbers(c.values)) {
      if (number == 0) continue;
      // Disputes and non-police matters are categorised by type and department, not by kind.
      if (c.values == v1::IncidentKind_descriptor() &&
          (number == v1::INCIDENT_KIND_DISPUTE || number == v1::INCIDENT_KIND_NON_POLICE)) {
        continue;
      }
      CaseRecord record;
      record.reported_at = absl::ToUnixSeconds(options.period_start) + 3600;
      record.area = map->AreaIndex("g11");
      if (c.values != v1::IncidentKind_descriptor() && c.dimension != v1::DIMENSION_CATEGORY) {
        record.kind = v1::INCIDENT_KIND_FRAUD;
      }
      c.carry(number, &record);
      metrics->Add(record);
      EXPECT_TRUE(expected.insert(c.label(number)).second)
          << "two values share " << c.label(number);
    }
    const v1::MetricsReport report = metrics->Report();
    std::set<std::string> got;
    const std::string key(LabelOf(c.dimension).short_name);
    for (const v1::MetricsGroup& g : report.groups()) {
      auto it = g.key().find(key);
      if (it != g.key().end()) got.insert(it->second);
    }
    EXPECT_EQ(got, expected) << c.values->full_name();
  }
}

}  // namespace
}  // namespace fengqiao
