// Generated routing workloads for the reference test and the benchmarks, deterministic from a
// seed: a district map of 4 streets x 10 communities x 10 grids, a realistic tiered rule table
// (20 city-wide rules last, local overrides per grid or street before them, FIRST hit), random
// incidents as RoutingFacts, and a plain first-match matcher written from the protobuf rules
// without any of the engine's code, to compare against.
#ifndef FENGQIAO_TESTS_TESTING_GENERATED_RULES_H_
#define FENGQIAO_TESTS_TESTING_GENERATED_RULES_H_

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/routing/routing_facts.h"
#include "fengqiao/v1/routing.pb.h"

namespace fengqiao::testing {

// 1 city, 1 district, 4 streets, 40 communities, 400 grids of 0.002 degrees.
inline std::shared_ptr<const GridMap> GeneratedDistrict() {
  v1::GridMap map;
  map.set_name("generated district");
  map.set_grids_disjoint(true);
  auto add = [&](const std::string& code, v1::AreaLevel level, const std::string& parent) {
    v1::Area* a = map.add_areas();
    a->set_code(code);
    a->set_name(code);
    a->set_level(level);
    a->set_parent_code(parent);
    return a;
  };
  add("city", v1::AREA_LEVEL_CITY, "");
  add("d", v1::AREA_LEVEL_DISTRICT, "city");
  for (int s = 0; s < 4; ++s) {
    const std::string street = absl::StrCat("s", s);
    add(street, v1::AREA_LEVEL_STREET, "d");
    for (int c = 0; c < 10; ++c) {
      const std::string community = absl::StrCat(street, "-c", c);
      add(community, v1::AREA_LEVEL_COMMUNITY, street);
      for (int g = 0; g < 10; ++g) {
        v1::Area* grid = add(absl::StrCat(community, "-g", g), v1::AREA_LEVEL_GRID, community);
        const double lat = 30.0 + 0.002 * (s * 10 + c), lng = 120.0 + 0.002 * g;
        for (auto [dl, dg] : {std::pair(0, 0), std::pair(0, 1), std::pair(1, 1), std::pair(1, 0)}) {
          v1::LatLng* v = grid->mutable_boundary()->add_vertices();
          v->set_lat_deg(lat + 0.002 * dl);
          v->set_lng_deg(lng + 0.002 * dg);
        }
      }
    }
  }
  return *GridMap::Create(std::move(map));
}

inline v1::Rule* AddRule(v1::RuleSet* rs, const std::string& id, v1::Tier tier) {
  v1::Rule* r = rs->add_rules();
  r->set_id(id);
  r->mutable_then()->set_tier(tier);
  return r;
}

// The 20 city-wide rules, the last a default.
inline void CityWideRules(v1::RuleSet* rs) {
  using namespace v1;  // NOLINT: enum-heavy table
  Rule* r = AddRule(rs, "violence", TIER_POLICE_DISPATCH);
  r->mutable_when()->set_violence_risk(true);
  r = AddRule(rs, "crime", TIER_POLICE_DISPATCH);
  for (auto k : {INCIDENT_KIND_CRIMINAL, INCIDENT_KIND_PUBLIC_ORDER, INCIDENT_KIND_FRAUD}) {
    r->mutable_when()->add_kinds(k);
  }
  r = AddRule(rs, "traffic-help", TIER_POLICE_DISPATCH);
  r->mutable_when()->add_kinds(INCIDENT_KIND_TRAFFIC);
  r->mutable_when()->add_kinds(INCIDENT_KIND_ASSISTANCE);
  for (auto [id, dept] :
       {std::pair("city-mgmt", DEPARTMENT_CITY_MANAGEMENT),
        std::pair("housing", DEPARTMENT_HOUSING_CONSTRUCTION),
        std::pair("market", DEPARTMENT_MARKET_REGULATION), std::pair("labour", DEPARTMENT_LABOUR),
        std::pair("community", DEPARTMENT_COMMUNITY)}) {
    r = AddRule(rs, absl::StrCat("divert-", id), TIER_DEPARTMENT_DIVERSION);
    r->mutable_when()->set_police_matter(false);
    r->mutable_when()->add_departments(dept);
    r->mutable_then()->set_department(dept);
  }
  r = AddRule(rs, "divert-other", TIER_DEPARTMENT_DIVERSION);
  r->mutable_when()->set_police_matter(false);
  r->mutable_then()->set_department(DEPARTMENT_COMMUNITY);
  r = AddRule(rs, "injury-joint", TIER_JOINT_MEDIATION);
  r->mutable_when()->add_kinds(INCIDENT_KIND_DISPUTE);
  r->mutable_when()->set_injury(true);
  r = AddRule(rs, "major-joint", TIER_JOINT_MEDIATION);
  r->mutable_when()->add_kinds(INCIDENT_KIND_DISPUTE);
  r->mutable_when()->add_severities(SEVERITY_MAJOR);
  r->mutable_when()->add_severities(SEVERITY_CRITICAL);
  r = AddRule(rs, "big-amount-joint", TIER_JOINT_MEDIATION);
  r->mutable_when()->add_kinds(INCIDENT_KIND_DISPUTE);
  r->mutable_when()->mutable_amount_fen()->set_min(5'000'000);
  r = AddRule(rs, "many-parties-joint", TIER_JOINT_MEDIATION);
  r->mutable_when()->add_kinds(INCIDENT_KIND_DISPUTE);
  r->mutable_when()->mutable_party_count()->set_min(5);
  r = AddRule(rs, "noise-butler", TIER_MEDIATOR);
  r->mutable_when()->add_dispute_types(DISPUTE_TYPE_NOISE);
  r = AddRule(rs, "neighbour-head", TIER_MEDIATOR);
  r->mutable_when()->add_dispute_types(DISPUTE_TYPE_NEIGHBOUR);
  r->mutable_when()->add_dispute_types(DISPUTE_TYPE_PET);
  r->mutable_when()->add_severities(SEVERITY_SIMPLE);
  r = AddRule(rs, "debt-judicial", TIER_MEDIATOR);
  r->mutable_when()->add_dispute_types(DISPUTE_TYPE_DEBT);
  r->mutable_when()->add_dispute_types(DISPUTE_TYPE_SALE);
  r = AddRule(rs, "family-federation", TIER_MEDIATOR);
  r->mutable_when()->add_dispute_types(DISPUTE_TYPE_FAMILY);
  r->mutable_when()->add_dispute_types(DISPUTE_TYPE_MARRIAGE);
  r->mutable_when()->add_severities(SEVERITY_SIMPLE);
  r = AddRule(rs, "simple-mediator", TIER_MEDIATOR);
  r->mutable_when()->add_kinds(INCIDENT_KIND_DISPUTE);
  r->mutable_when()->add_severities(SEVERITY_SIMPLE);
  r = AddRule(rs, "general-police", TIER_COMMUNITY_POLICE);
  r->mutable_when()->add_kinds(INCIDENT_KIND_DISPUTE);
  r = AddRule(rs, "default", TIER_COMMUNITY_POLICE);
  r->set_is_default(true);
}

// A FIRST-hit table of `total` rules (>= 20): total - 20 local overrides, each bound to one grid
// (first) or street (after), with a dispute type, a severity and some ranges, then the 20
// city-wide rules. No override can cover a later rule, so none is shadowed. Beyond 10,000 grid
// overrides (or 100 street ones) a rule of that pool also takes one repeat count ("band"), so a
// table of any size has distinct, disjoint overrides; up to those counts the table is as it
// always was.
inline v1::RuleSet GeneratedRules(const GridMap& map, int total, uint64_t seed = 7) {
  std::mt19937_64 rng(seed);
  v1::RuleSet rs;
  rs.set_name(absl::StrCat("generated ", total));
  rs.set_version("bench-1");
  rs.set_hit_policy(v1::HIT_POLICY_FIRST);
  std::vector<std::string> grids, streets;
  for (const v1::Area& a : map.proto().areas()) {
    if (a.level() == v1::AREA_LEVEL_GRID) grids.push_back(a.code());
    if (a.level() == v1::AREA_LEVEL_STREET) streets.push_back(a.code());
  }
  const int local = total - 20;
  const int street_rules = local / 20;  // 4 streets x 13 types x 4 severities = 208 slots
  std::set<std::tuple<std::string, int, int, int>> used;
  for (int i = 0; i < local; ++i) {
    const bool on_street = i >= local - street_rules;
    const std::vector<std::string>& pool = on_street ? streets : grids;
    const int band = on_street ? (i - (local - street_rules)) / 100 : i / 10'000;
    std::string area;
    int type, severity;
    do {
      area = pool[rng() % pool.size()];
      type = 1 + static_cast<int>(rng() % 13);
      severity = 1 + static_cast<int>(rng() % 4);
    } while (!used.insert({area, type, severity, band}).second);
    v1::Rule* r = AddRule(&rs, absl::StrCat(on_street ? "street-" : "grid-", i),
                          static_cast<v1::Tier>(1 + rng() % 7));
    if (r->then().tier() == v1::TIER_DEPARTMENT_DIVERSION) {
      r->mutable_then()->set_department(v1::DEPARTMENT_JUDICIAL_OFFICE);
    }
    v1::Condition* w = r->mutable_when();
    w->add_area_codes(area);
    w->add_dispute_types(static_cast<v1::DisputeType>(type));
    w->add_severities(static_cast<v1::Severity>(severity));
    // Once a pool has more than one band, band 0 takes its repeat count too (else a band-0 rule
    // would cover the same slot of a later band).
    if (band > 0 || (on_street ? street_rules > 100 : local - street_rules > 10'000)) {
      w->mutable_repeat_count()->set_min(band);
      w->mutable_repeat_count()->set_max(band);
    }
    switch (rng() % 4) {
      case 0:
        w->mutable_amount_fen()->set_max(static_cast<int64_t>(rng() % 2'000'000));
        break;
      case 1:
        w->mutable_party_count()->set_min(2 + static_cast<int64_t>(rng() % 3));
        break;
      case 2:
        w->mutable_hour_of_day()->set_min(static_cast<int64_t>(rng() % 12));
        w->mutable_hour_of_day()->set_max(12 + static_cast<int64_t>(rng() % 12));
        break;
      default:
        w->add_channels(static_cast<v1::Channel>(1 + rng() % 6));
        break;
    }
  }
  CityWideRules(&rs);
  return rs;
}

// Random incidents over the map's grids (1 in 100 with an unknown area).
inline std::vector<RoutingFacts> GeneratedFacts(const GridMap& map, int n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<int32_t> grids;
  for (int i = 0; i < map.size(); ++i) {
    if (map.proto().areas(i).level() == v1::AREA_LEVEL_GRID) grids.push_back(i);
  }
  std::vector<RoutingFacts> out(n);
  for (RoutingFacts& f : out) {
    f.area = rng() % 100 == 0 ? -1 : grids[rng() % grids.size()];
    const int roll = static_cast<int>(rng() % 100);
    if (roll < 34) {
      f.kind = v1::INCIDENT_KIND_NON_POLICE;
      f.department = 1 + rng() % 11;
    } else if (roll < 70) {
      f.kind = v1::INCIDENT_KIND_DISPUTE;
      f.dispute_type = 1 + rng() % 13;
    } else {
      static constexpr uint8_t kPolice[] = {2, 3, 4, 5, 6, 7};
      f.kind = kPolice[rng() % 6];
    }
    f.severity = 1 + rng() % 4;
    f.channel = 1 + rng() % 6;
    f.amount_fen = static_cast<int64_t>(std::exp(
        std::uniform_real_distribution<double>(std::log(100.0), std::log(20'000'000.0))(rng)));
    f.party_count = 1 + static_cast<int32_t>(rng() % 6);
    f.repeat_count = static_cast<int32_t>(rng() % 4);
    f.hour = rng() % 24;
    f.weekday = 1 + rng() % 7;
    f.flags = (rng() % 20 == 0 ? kFactInjury : 0) | (rng() % 33 == 0 ? kFactViolenceRisk : 0);
    // A civil dispute that is not a police matter (diverted to its department), now and then.
    if (f.kind == v1::INCIDENT_KIND_DISPUTE && rng() % 10 == 0) {
      f.flags |= kFactNonPolice;
      f.department = 1 + rng() % 11;
    }
  }
  return out;
}

// Facts as the parallel columns RouteColumns reads (the vectors own the data; Columns() views
// them, tags included).
struct FactColumns {
  std::vector<int32_t> area, parties, repeats, matter;
  std::vector<uint8_t> kind, dispute, severity, channel, department, hour, weekday, flags;
  std::vector<int64_t> amount;
  std::vector<uint64_t> tags;

  explicit FactColumns(const std::vector<RoutingFacts>& facts) {
    for (const RoutingFacts& f : facts) {
      area.push_back(f.area);
      kind.push_back(f.kind);
      dispute.push_back(f.dispute_type);
      severity.push_back(f.severity);
      channel.push_back(f.channel);
      department.push_back(f.department);
      hour.push_back(f.hour);
      weekday.push_back(f.weekday);
      flags.push_back(f.flags);
      amount.push_back(f.amount_fen);
      parties.push_back(f.party_count);
      repeats.push_back(f.repeat_count);
      tags.push_back(f.tags);
      matter.push_back(f.matter);
    }
  }
  RoutingColumns Columns() const {
    return RoutingColumns{area,    kind,    dispute, severity, channel, department, amount,
                          parties, repeats, hour,    weekday,  flags,   tags,       matter};
  }
};

// A plain first-match loop over the protobuf rules, grid tested first. Written without the
// engine's code, as the reference the index must agree with.
// Whether condition `w` holds for `f`, written from the proto alone (no engine code). A rule's
// tags are bits of f.tags in the order `tag_bits` lists them (null: a rule with tags never holds);
// capacity tests pass or fail as `capacity_passes` says; police_matter needs a known kind, and a
// matter is the police's unless its kind is NON_POLICE or its flags say kFactNonPolice.
inline bool NaiveConditionHolds(const v1::Condition& w, const RoutingFacts& f,
                                const std::vector<std::string>* tag_bits, bool capacity_passes) {
  auto in = [](const auto& values, int v) {
    return values.empty() || std::find(values.begin(), values.end(), v) != values.end();
  };
  auto in_range = [](bool has, const v1::Int64Range& r, int64_t v) {
    return !has || ((!r.has_min() || v >= r.min()) && (!r.has_max() || v <= r.max()));
  };
  if (w.has_police_matter()) {
    const bool known_kind = f.kind > 0 && f.kind < v1::IncidentKind_ARRAYSIZE;
    const bool police = f.kind != v1::INCIDENT_KIND_NON_POLICE && (f.flags & kFactNonPolice) == 0;
    if (!known_kind || police != w.police_matter()) return false;
  }
  for (const std::string& tag : w.tags_all()) {
    if (tag_bits == nullptr) return false;
    const auto at = std::find(tag_bits->begin(), tag_bits->end(), tag);
    if (at == tag_bits->end() || ((f.tags >> (at - tag_bits->begin())) & 1u) == 0) return false;
  }
  return in(w.kinds(), f.kind) && in(w.dispute_types(), f.dispute_type) &&
         in(w.severities(), f.severity) && in(w.channels(), f.channel) &&
         in(w.departments(), f.department) && in(w.days_of_week(), f.weekday) &&
         in_range(w.has_amount_fen(), w.amount_fen(), f.amount_fen) &&
         in_range(w.has_party_count(), w.party_count(), f.party_count) &&
         in_range(w.has_repeat_count(), w.repeat_count(), f.repeat_count) &&
         in_range(w.has_hour_of_day(), w.hour_of_day(), f.hour) &&
         (!w.has_injury() || w.injury() == ((f.flags & kFactInjury) != 0)) &&
         (!w.has_violence_risk() || w.violence_risk() == ((f.flags & kFactViolenceRisk) != 0)) &&
         (w.capacity().empty() || capacity_passes);
}

class NaiveFirstMatch {
 public:
  NaiveFirstMatch(const GridMap& map, const v1::RuleSet& rules) : map_(map), rules_(rules) {
    for (const v1::Rule& r : rules.rules()) {
      std::vector<int32_t> areas;
      for (const std::string& code : r.when().area_codes()) areas.push_back(map.AreaIndex(code));
      areas_.push_back(std::move(areas));
    }
  }

  int Match(const RoutingFacts& f) const {
    int32_t chain[8];
    int depth = 0;
    for (int32_t a = f.area; a >= 0 && depth < 8; a = map_.ParentIndex(a)) chain[depth++] = a;
    for (int i = 0; i < rules_.rules_size(); ++i) {
      if (!areas_[i].empty()) {
        bool in = false;
        for (int32_t a : areas_[i]) {
          for (int d = 0; d < depth && !in; ++d) in = chain[d] == a;
        }
        if (!in) continue;
      }
      if (Holds(rules_.rules(i).when(), f)) return i;
    }
    return -1;
  }

 private:
  static bool Holds(const v1::Condition& w, const RoutingFacts& f) {
    return NaiveConditionHolds(w, f, /*tag_bits=*/nullptr, /*capacity_passes=*/false);
  }

  const GridMap& map_;
  const v1::RuleSet& rules_;
  std::vector<std::vector<int32_t>> areas_;
};

}  // namespace fengqiao::testing

#endif  // FENGQIAO_TESTS_TESTING_GENERATED_RULES_H_
