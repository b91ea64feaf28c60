// Writes the routing benchmark's workload for the peer engines: the same generated district,
// rule tables (20, 200, 2,000 rules, FIRST hit) and incidents, as json-rules-engine rules, the
// GoRules ZEN decision table (JDM) the library exports (fengqiao/interop/rule_table.h) with its
// input objects, incident facts, and fengqiao's decision for each incident so the peers' answers
// can be checked.
//   export_workload OUT_DIR [INCIDENTS]
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "fengqiao/interop/rule_table.h"
#include "fengqiao/routing/rule_set.h"
#include "testing/generated_rules.h"

namespace {

using fengqiao::v1::Condition;

std::string Quote(const std::string& s) { return absl::StrCat("\"", s, "\""); }

template <typename Repeated>
std::vector<int> Ints(const Repeated& values) {
  std::vector<int> out;
  for (int v : values) out.push_back(v);
  return out;
}

// The level fact ("grid", "community", "street", "district") an area code is tested against.
std::string LevelFact(const fengqiao::GridMap& map, const std::string& code) {
  switch (map.Find(code)->level()) {
    case fengqiao::v1::AREA_LEVEL_GRID:
      return "grid";
    case fengqiao::v1::AREA_LEVEL_COMMUNITY:
      return "community";
    case fengqiao::v1::AREA_LEVEL_STREET:
      return "street";
    default:
      return "district";
  }
}

struct Column {
  const char* fact;
  std::string (*json_rules)(const Condition&);  // json-rules-engine conditions, "" if none
};

std::string JsonRulesConditions(const fengqiao::GridMap& map, const Condition& w) {
  std::vector<std::string> all;
  auto in = [&](const char* fact, const std::vector<int>& values) {
    if (!values.empty()) {
      all.push_back(absl::StrCat("{\"fact\":\"", fact, "\",\"operator\":\"in\",\"value\":[",
                                 absl::StrJoin(values, ","), "]}"));
    }
  };
  auto range = [&](const char* fact, bool has, const fengqiao::v1::Int64Range& r) {
    if (!has) return;
    if (r.has_min()) {
      all.push_back(absl::StrCat("{\"fact\":\"", fact,
                                 "\",\"operator\":\"greaterThanInclusive\",\"value\":", r.min(),
                                 "}"));
    }
    if (r.has_max()) {
      all.push_back(absl::StrCat("{\"fact\":\"", fact,
                                 "\",\"operator\":\"lessThanInclusive\",\"value\":", r.max(), "}"));
    }
  };
  auto equal = [&](const char* fact, const std::string& value) {
    all.push_back(
        absl::StrCat("{\"fact\":\"", fact, "\",\"operator\":\"equal\",\"value\":", value, "}"));
  };
  // Area first, as the hand-written loop does: the grid or an ancestor is one of the codes.
  std::vector<std::string> areas;
  for (const std::string& code : w.area_codes()) {
    areas.push_back(absl::StrCat("{\"fact\":\"", LevelFact(map, code), "\",\"operator\":\"equal\",",
                                 "\"value\":", Quote(code), "}"));
  }
  if (areas.size() == 1) all.push_back(areas[0]);
  if (areas.size() > 1) all.push_back(absl::StrCat("{\"any\":[", absl::StrJoin(areas, ","), "]}"));
  if (w.has_police_matter()) equal("police", w.police_matter() ? "true" : "false");
  in("kind", Ints(w.kinds()));
  in("dispute", Ints(w.dispute_types()));
  in("severity", Ints(w.severities()));
  in("channel", Ints(w.channels()));
  in("department", Ints(w.departments()));
  range("amount", w.has_amount_fen(), w.amount_fen());
  range("parties", w.has_party_count(), w.party_count());
  range("repeats", w.has_repeat_count(), w.repeat_count());
  range("hour", w.has_hour_of_day(), w.hour_of_day());
  in("weekday", Ints(w.days_of_week()));
  if (w.has_injury()) equal("injury", w.injury() ? "true" : "false");
  if (w.has_violence_risk()) equal("violence", w.violence_risk() ? "true" : "false");
  return absl::StrCat("{\"all\":[", absl::StrJoin(all, ","), "]}");
}

std::string Facts(const fengqiao::GridMap& map, const fengqiao::RoutingFacts& f) {
  auto code_at = [&](fengqiao::v1::AreaLevel level) -> std::string {
    if (f.area < 0) return "\"\"";
    const fengqiao::v1::Area* a = map.AncestorAt(map.proto().areas(f.area).code(), level);
    return Quote(a == nullptr ? "" : a->code());
  };
  return absl::StrCat(
      "{\"grid\":", code_at(fengqiao::v1::AREA_LEVEL_GRID),
      ",\"community\":", code_at(fengqiao::v1::AREA_LEVEL_COMMUNITY),
      ",\"street\":", code_at(fengqiao::v1::AREA_LEVEL_STREET), ",\"kind\":", f.kind,
      ",\"dispute\":", f.dispute_type, ",\"severity\":", f.severity, ",\"channel\":", f.channel,
      ",\"department\":", f.department, ",\"amount\":", f.amount_fen,
      ",\"parties\":", f.party_count, ",\"repeats\":", f.repeat_count, ",\"hour\":", f.hour,
      ",\"weekday\":", f.weekday,
      ",\"injury\":", (f.flags & fengqiao::kFactInjury) ? "true" : "false",
      ",\"violence\":", (f.flags & fengqiao::kFactViolenceRisk) ? "true" : "false",
      // A police matter as routing tests it: neither kind NON_POLICE nor the non-police flag (a
      // dispute can be a non-police matter, Incident.police_matter false).
      ",\"police\":",
      f.kind != fengqiao::v1::INCIDENT_KIND_NON_POLICE && (f.flags & fengqiao::kFactNonPolice) == 0
          ? "true"
          : "false",
      "}");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: export_workload OUT_DIR [INCIDENTS]\n");
    return 64;
  }
  int incidents = 20000;
  if (argc > 2 && !absl::SimpleAtoi(argv[2], &incidents)) return 64;
  auto map = fengqiao::testing::GeneratedDistrict();
  // The same incidents the C++ benchmark routes (seed 99).
  const auto facts = fengqiao::testing::GeneratedFacts(*map, incidents, 99);
  for (int rule_count : {20, 200, 2000}) {
    const auto proto = fengqiao::testing::GeneratedRules(*map, rule_count);
    auto rules = fengqiao::RuleSet::Compile(fengqiao::RuleSetSource::FromProto(proto), map);
    if (!rules.ok()) {
      std::fprintf(stderr, "%s\n", std::string(rules.status().message()).c_str());
      return 1;
    }
    std::vector<std::string> jre, fact_rows, zen_facts, expected, expected_ids;
    for (int i = 0; i < proto.rules_size(); ++i) {
      const Condition& w = proto.rules(i).when();
      jre.push_back(absl::StrCat("{\"conditions\":", JsonRulesConditions(*map, w),
                                 ",\"event\":{\"type\":\"rule\",\"params\":{\"index\":", i,
                                 "}},\"priority\":", proto.rules_size() - i, "}"));
    }
    for (const auto& f : facts) {
      fact_rows.push_back(Facts(*map, f));
      zen_facts.push_back(fengqiao::RuleTableInput(**rules, f));
      const int32_t rule = (*rules)->Route(f).rule;
      expected.push_back(absl::StrCat(rule));
      expected_ids.push_back(rule < 0 ? "null" : Quote(proto.rules(rule).id()));
    }
    const absl::StatusOr<std::string> zen =
        fengqiao::ExportRuleTable(**rules, fengqiao::RuleTableFormat::kJdm);
    if (!zen.ok()) {
      std::fprintf(stderr, "%s\n", std::string(zen.status().message()).c_str());
      return 1;
    }
    const std::string path = absl::StrCat(argv[1], "/workload_", rule_count, ".json");
    std::ofstream out(path);
    out << "{\"rule_count\":" << rule_count << ",\"json_rules_engine\":[" << absl::StrJoin(jre, ",")
        << "],\"zen\":" << *zen << ",\"zen_facts\":[" << absl::StrJoin(zen_facts, ",")
        << "],\"facts\":[" << absl::StrJoin(fact_rows, ",") << "],\"expected\":["
        << absl::StrJoin(expected, ",") << "],\"expected_ids\":["
        << absl::StrJoin(expected_ids, ",") << "]}\n";
    if (!out) {
      std::fprintf(stderr, "%s: write failed\n", path.c_str());
      return 1;
    }
    std::printf("wrote %s\n", path.c_str());
  }
  return 0;
}
