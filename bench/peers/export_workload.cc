// Writes the routing benchmark's workload for the peer engines: the same generated district,
// rule tables (20, 200, 2,000 rules, FIRST hit) and incidents, as json-rules-engine rules, a
// GoRules ZEN decision table (JDM), incident facts, and fengqiao's decision for each incident so
// the peers' answers can be checked.
//   export_workload OUT_DIR [INCIDENTS]
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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
  // Area first, as the hand-written loop does.
  for (const std::string& code : w.area_codes()) equal(LevelFact(map, code).c_str(), Quote(code));
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

// ZEN unary-test cells, one column per fact.
constexpr const char* kZenColumns[] = {
    "grid",   "community", "street",  "kind", "dispute", "severity", "channel",  "department",
    "amount", "parties",   "repeats", "hour", "weekday", "injury",   "violence", "police"};

std::string ZenCell(const fengqiao::GridMap& map, const Condition& w, const std::string& column) {
  auto list = [](const std::vector<int>& v) { return absl::StrJoin(v, ", "); };
  auto range = [](bool has, const fengqiao::v1::Int64Range& r) -> std::string {
    if (!has) return "";
    if (r.has_min() && r.has_max()) return absl::StrCat("[", r.min(), "..", r.max(), "]");
    if (r.has_min()) return absl::StrCat(">= ", r.min());
    return absl::StrCat("<= ", r.max());
  };
  if (column == "grid" || column == "community" || column == "street") {
    for (const std::string& code : w.area_codes()) {
      if (LevelFact(map, code) == column) return absl::StrCat("'", code, "'");
    }
    return "";
  }
  if (column == "kind") return list(Ints(w.kinds()));
  if (column == "dispute") return list(Ints(w.dispute_types()));
  if (column == "severity") return list(Ints(w.severities()));
  if (column == "channel") return list(Ints(w.channels()));
  if (column == "department") return list(Ints(w.departments()));
  if (column == "amount") return range(w.has_amount_fen(), w.amount_fen());
  if (column == "parties") return range(w.has_party_count(), w.party_count());
  if (column == "repeats") return range(w.has_repeat_count(), w.repeat_count());
  if (column == "hour") return range(w.has_hour_of_day(), w.hour_of_day());
  if (column == "weekday") return list(Ints(w.days_of_week()));
  if (column == "injury" && w.has_injury()) return w.injury() ? "true" : "false";
  if (column == "violence" && w.has_violence_risk()) return w.violence_risk() ? "true" : "false";
  if (column == "police" && w.has_police_matter()) return w.police_matter() ? "true" : "false";
  return "";
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
      ",\"violence\":", (f.flags & fengqiao::kFactViolenceRisk) ? "true" : "false", ",\"police\":",
      (f.kind != 0 && f.kind != fengqiao::v1::INCIDENT_KIND_NON_POLICE) ? "true" : "false", "}");
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
    std::vector<std::string> jre, zen_rules, fact_rows, expected;
    for (int i = 0; i < proto.rules_size(); ++i) {
      const Condition& w = proto.rules(i).when();
      jre.push_back(absl::StrCat("{\"conditions\":", JsonRulesConditions(*map, w),
                                 ",\"event\":{\"type\":\"rule\",\"params\":{\"index\":", i,
                                 "}},\"priority\":", proto.rules_size() - i, "}"));
      std::vector<std::string> cells = {absl::StrCat("\"_id\":\"r", i, "\"")};
      for (const char* column : kZenColumns) {
        cells.push_back(absl::StrCat("\"", column, "\":\"", ZenCell(*map, w, column), "\""));
      }
      cells.push_back(absl::StrCat("\"out\":\"", i, "\""));
      zen_rules.push_back(absl::StrCat("{", absl::StrJoin(cells, ","), "}"));
    }
    std::vector<std::string> zen_inputs;
    for (const char* column : kZenColumns) {
      zen_inputs.push_back(absl::StrCat("{\"id\":\"", column, "\",\"name\":\"", column,
                                        "\",\"field\":\"", column, "\",\"type\":\"expression\"}"));
    }
    for (const auto& f : facts) {
      fact_rows.push_back(Facts(*map, f));
      expected.push_back(absl::StrCat((*rules)->Route(f).rule));
    }
    const std::string zen = absl::StrCat(
        "{\"nodes\":[{\"id\":\"in\",\"type\":\"inputNode\",\"name\":\"Request\",\"position\":{"
        "\"x\":0,\"y\":0}},{\"id\":\"t\",\"type\":\"decisionTableNode\",\"name\":\"routing\","
        "\"position\":{\"x\":0,\"y\":0},\"content\":{\"hitPolicy\":\"first\",\"inputs\":[",
        absl::StrJoin(zen_inputs, ","),
        "],\"outputs\":[{\"id\":\"out\",\"name\":\"rule\",\"field\":\"rule\",\"type\":"
        "\"expression\"}],\"rules\":[",
        absl::StrJoin(zen_rules, ","),
        "]}},{\"id\":\"out\",\"type\":\"outputNode\",\"name\":\"Response\",\"position\":{\"x\":0,"
        "\"y\":0}}],\"edges\":[{\"id\":\"e1\",\"sourceId\":\"in\",\"targetId\":\"t\",\"type\":"
        "\"edge\"},{\"id\":\"e2\",\"sourceId\":\"t\",\"targetId\":\"out\",\"type\":\"edge\"}]}");
    const std::string path = absl::StrCat(argv[1], "/workload_", rule_count, ".json");
    std::ofstream out(path);
    out << "{\"rule_count\":" << rule_count << ",\"json_rules_engine\":[" << absl::StrJoin(jre, ",")
        << "],\"zen\":" << zen << ",\"facts\":[" << absl::StrJoin(fact_rows, ",")
        << "],\"expected\":[" << absl::StrJoin(expected, ",") << "]}\n";
    if (!out) {
      std::fprintf(stderr, "%s: write failed\n", path.c_str());
      return 1;
    }
    std::printf("wrote %s\n", path.c_str());
  }
  return 0;
}
