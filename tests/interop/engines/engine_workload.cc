// Writes what tests/interop/engines/check_engines.mjs evaluates: for each rule set, its exported
// JDM and DMN tables (ExportRuleTable) and generated incidents as the tables' input objects
// (RuleTableInput, with random tags and capacity states), each with fengqiao's decision (Route;
// Collect for COLLECT and UNIQUE) as the answer the engines must give.
//   engine_workload SOURCE_DIR OUT_DIR INCIDENTS (district and generated_200; the street a fifth,
//   the COLLECT set a tenth)
// OUT_DIR/sets.txt lists one "name hit_policy" line per set; OUT_DIR/NAME.{jdm.json,dmn,jsonl}.
#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "fengqiao/interop/rule_table.h"
#include "fengqiao/routing/rule_set.h"
#include "fengqiao/routing/rule_source.h"
#include "fengqiao/vocabulary.h"
#include "testing/generated_rules.h"

namespace {

using fengqiao::RuleTableFormat;

bool Write(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) std::fprintf(stderr, "%s: write failed\n", path.c_str());
  return static_cast<bool>(out);
}

std::string Quoted(const std::string& s) { return absl::StrCat("\"", s, "\""); }

// One set: tables, incidents and answers.
bool WriteSet(const std::string& dir, const std::string& name, const fengqiao::RuleSet& rules,
              int incidents, uint64_t seed, std::FILE* sets) {
  for (RuleTableFormat f : {RuleTableFormat::kJdm, RuleTableFormat::kDmn}) {
    absl::StatusOr<std::string> table = fengqiao::ExportRuleTable(rules, f);
    if (!table.ok()) {
      std::fprintf(stderr, "%s: %s\n", name.c_str(), std::string(table.status().message()).c_str());
      return false;
    }
    if (!Write(absl::StrCat(dir, "/", name, f == RuleTableFormat::kJdm ? ".jdm.json" : ".dmn"),
               *table)) {
      return false;
    }
  }
  std::vector<std::string> tags;
  for (const auto& r : rules.proto().rules()) {
    for (const std::string& t : r.when().tags_all()) tags.push_back(t);
  }
  std::mt19937_64 rng(seed);
  const auto facts = fengqiao::testing::GeneratedFacts(rules.grid_map(), incidents, seed);
  const bool many = rules.hit_policy() == fengqiao::v1::HIT_POLICY_COLLECT ||
                    rules.hit_policy() == fengqiao::v1::HIT_POLICY_UNIQUE;
  std::string lines;
  for (fengqiao::RoutingFacts f : facts) {
    for (const std::string& t : tags) {
      if (rng() % 2) f.tags |= rules.TagBit(t);
    }
    // Each team's state known or not, with 0..2 free slots, on shift or not.
    std::vector<fengqiao::CapacityState> capacity(rules.teams().size());
    for (auto& c : capacity) {
      c.known = rng() % 4 != 0;
      c.free_slots = static_cast<int32_t>(rng() % 3);
      c.on_shift = rng() % 2;
    }
    std::string expected;
    if (many) {
      std::vector<std::string> ids;
      for (int32_t i : rules.Collect(f, capacity))
        ids.push_back(Quoted(rules.proto().rules(i).id()));
      expected = absl::StrCat("[", absl::StrJoin(ids, ","), "]");
    } else {
      const int32_t rule = rules.Route(f, capacity).rule;
      expected = rule < 0 ? "null" : Quoted(rules.proto().rules(rule).id());
    }
    absl::StrAppend(&lines, "{\"input\": ", fengqiao::RuleTableInput(rules, f, capacity),
                    ", \"expected\": ", expected, "}\n");
  }
  if (!Write(absl::StrCat(dir, "/", name, ".jsonl"), lines)) return false;
  std::fprintf(sets, "%s %s\n", name.c_str(),
               std::string(fengqiao::LabelOf(rules.hit_policy()).short_name).c_str());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int incidents = 0;
  if (argc != 4 || !absl::SimpleAtoi(argv[3], &incidents) || incidents < 1) {
    std::fprintf(stderr, "usage: engine_workload SOURCE_DIR OUT_DIR INCIDENTS\n");
    return 64;
  }
  const std::string source_dir = argv[1], dir = argv[2];
  std::FILE* sets = std::fopen(absl::StrCat(dir, "/sets.txt").c_str(), "w");
  if (sets == nullptr) return 1;
  auto compile =
      [](const fengqiao::RuleSetSource& source,
         std::shared_ptr<const fengqiao::GridMap> map) -> std::shared_ptr<const fengqiao::RuleSet> {
    auto r = fengqiao::RuleSet::Compile(source, std::move(map));
    if (!r.ok()) std::fprintf(stderr, "%s\n", std::string(r.status().message()).c_str());
    return r.ok() ? *r : nullptr;
  };
  bool ok = true;
  // The sample district's rules and its street's (tags, an area, capacity), on its map.
  auto sample = fengqiao::GridMap::Load(source_dir + "/examples/data/grid_map.textproto");
  if (!sample.ok()) return 1;
  for (const char* file : {"district", "street_qd"}) {
    auto source = fengqiao::RuleSetSource::Load(
        absl::StrCat(source_dir, "/examples/data/rules/", file, ".textproto"));
    auto rules = source.ok() ? compile(*source, *sample) : nullptr;
    // The street's set (tags, capacity) on a fifth as many: its columns are the district's.
    const int n = absl::string_view(file) == "district" ? incidents : incidents / 5;
    ok = ok && rules != nullptr && WriteSet(dir, file, *rules, n, 11, sets);
  }
  // The generated 200-rule table (FIRST), and a COLLECT one of its local overrides.
  auto map = fengqiao::testing::GeneratedDistrict();
  fengqiao::v1::RuleSet first = fengqiao::testing::GeneratedRules(*map, 200);
  auto rules = compile(fengqiao::RuleSetSource::FromProto(first), map);
  ok = ok && rules != nullptr && WriteSet(dir, "generated_200", *rules, incidents, 12, sets);
  fengqiao::v1::RuleSet collect = fengqiao::testing::GeneratedRules(*map, 220);
  collect.mutable_rules()->DeleteSubrange(200, 20);
  collect.set_hit_policy(fengqiao::v1::HIT_POLICY_COLLECT);
  rules = compile(fengqiao::RuleSetSource::FromProto(collect), map);
  ok = ok && rules != nullptr &&
       WriteSet(dir, "generated_collect", *rules, incidents / 10, 13, sets);
  std::fclose(sets);
  return ok ? 0 : 1;
}
