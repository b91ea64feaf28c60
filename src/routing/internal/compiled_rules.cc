#include "routing/internal/compiled_rules.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "fengqiao/v1/incident.pb.h"

namespace fengqiao::routing_internal {
namespace {

bool InMask(uint32_t mask, uint32_t value, uint32_t domain) {
  return (mask >> Clamp(value, domain)) & 1u;
}

bool WithinAreas(const std::vector<int32_t>& areas, int32_t area, const GridMap& map) {
  if (areas.empty()) return true;
  for (int32_t a = area; a >= 0; a = map.ParentIndex(a)) {
    if (std::find(areas.begin(), areas.end(), a) != areas.end()) return true;
  }
  return false;
}

void SetBit(uint64_t* table, int row, int words, int bit) {
  table[row * words + (bit >> 6)] |= uint64_t{1} << (bit & 63);
}

// Fills the rows of one field: row v has bit i when rule i accepts value v (v == domain: "other").
template <typename Accepts>
void ValueRows(Partition& p, const std::vector<const RuleCondition*>& rules, uint32_t first_row,
               uint32_t rows, Accepts accepts) {
  uint64_t* table = p.data.data() + first_row * p.words;
  for (size_t i = 0; i < rules.size(); ++i) {
    for (uint32_t v = 0; v < rows; ++v) {
      if (accepts(*rules[i], v)) SetBit(table, v, p.words, static_cast<int>(i));
    }
  }
}

// Appends a range field to p.data.
template <typename Bounds>
RangeRef AppendRange(Partition& p, const std::vector<const RuleCondition*>& rules, Bounds bounds) {
  std::vector<int64_t> points;
  for (const RuleCondition* r : rules) {
    const auto [lo, hi] = bounds(*r);
    if (lo != std::numeric_limits<int64_t>::min()) points.push_back(lo);
    if (hi != std::numeric_limits<int64_t>::max()) points.push_back(hi + 1);
  }
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  RangeRef ref;
  ref.bounds_at = static_cast<uint32_t>(p.data.size());
  ref.count = static_cast<uint32_t>(points.size());
  for (int64_t b : points) p.data.push_back(static_cast<uint64_t>(b));
  ref.sets_at = static_cast<uint32_t>(p.data.size());
  p.data.resize(p.data.size() + (points.size() + 1) * p.words, 0);
  uint64_t* sets = p.data.data() + ref.sets_at;
  for (size_t k = 0; k <= points.size(); ++k) {
    const int64_t rep = k == 0 ? std::numeric_limits<int64_t>::min() : points[k - 1];
    for (size_t i = 0; i < rules.size(); ++i) {
      const auto [lo, hi] = bounds(*rules[i]);
      if (lo <= rep && rep <= hi) SetBit(sets, static_cast<int>(k), p.words, static_cast<int>(i));
    }
  }
  return ref;
}

Partition MakePartition(const CompiledRules& compiled, std::vector<int32_t> local) {
  Partition p;
  p.rules = std::move(local);
  p.words = std::max<int>(1, (static_cast<int>(p.rules.size()) + 63) / 64);
  std::vector<const RuleCondition*> rules;
  for (int32_t g : p.rules) rules.push_back(&compiled.rules[g]);
  p.data.assign(kValueRows * p.words, 0);
  ValueRows(p, rules, kKindRow, kKindDomain + 1,
            [](const RuleCondition& r, uint32_t v) { return KindAccepted(r, v); });
  ValueRows(p, rules, kDisputeRow, kDisputeDomain + 1, [](const RuleCondition& r, uint32_t v) {
    return InMask(r.dispute, v, kDisputeDomain);
  });
  ValueRows(p, rules, kSeverityRow, kSeverityDomain + 1, [](const RuleCondition& r, uint32_t v) {
    return InMask(r.severity, v, kSeverityDomain);
  });
  ValueRows(p, rules, kChannelRow, kChannelDomain + 1, [](const RuleCondition& r, uint32_t v) {
    return InMask(r.channel, v, kChannelDomain);
  });
  ValueRows(p, rules, kDepartmentRow, kDepartmentDomain + 1,
            [](const RuleCondition& r, uint32_t v) {
              return InMask(r.department, v, kDepartmentDomain);
            });
  ValueRows(p, rules, kHourRow, kHourDomain + 1,
            [](const RuleCondition& r, uint32_t v) { return InMask(r.hour, v, kHourDomain); });
  ValueRows(p, rules, kWeekdayRow, kWeekdayDomain + 1, [](const RuleCondition& r, uint32_t v) {
    return InMask(r.weekday, v, kWeekdayDomain);
  });
  ValueRows(p, rules, kFlagsRow, kFlagValues,
            [](const RuleCondition& r, uint32_t v) { return (v & r.flags_care) == r.flags_value; });
  p.amount = AppendRange(
      p, rules, [](const RuleCondition& r) { return std::make_pair(r.amount_lo, r.amount_hi); });
  p.parties = AppendRange(
      p, rules, [](const RuleCondition& r) { return std::make_pair(r.parties_lo, r.parties_hi); });
  p.repeats = AppendRange(
      p, rules, [](const RuleCondition& r) { return std::make_pair(r.repeats_lo, r.repeats_hi); });
  p.data.shrink_to_fit();
  p.with_capacity.assign(p.words, 0);
  for (size_t i = 0; i < rules.size(); ++i) {
    if (rules[i]->tags != 0) p.tagged.push_back({static_cast<int32_t>(i), rules[i]->tags});
    if (!rules[i]->capacity.empty()) {
      p.with_capacity[i >> 6] |= uint64_t{1} << (i & 63);
      p.has_capacity = true;
    }
  }
  p.has_tagged = !p.tagged.empty();
  return p;
}

}  // namespace

const char* FieldName(int field) {
  static constexpr const char* kNames[] = {
      "area_codes",  "police_matter", "kinds",         "dispute_types",
      "severities",  "channels",      "departments",   "amount_fen",
      "party_count", "repeat_count",  "hour_of_day",   "days_of_week",
      "tags_all",    "injury",        "violence_risk", "capacity"};
  return field >= 0 && field < kNumFields ? kNames[field] : "";
}

bool KindAccepted(const RuleCondition& c, uint32_t kind) {
  if (!InMask(c.kind, kind, kKindDomain)) return false;
  if (!c.police_care) return true;
  if (kind >= kKindDomain || kind == v1::INCIDENT_KIND_UNSPECIFIED) return false;
  // NON_POLICE is never a police matter; any other kind can be either (the flag decides).
  return !(c.police_value && kind == v1::INCIDENT_KIND_NON_POLICE);
}

bool CapacityPasses(const RuleCondition& c, absl::Span<const CapacityState> capacity,
                    int* failed_team) {
  for (const CapacityTestC& t : c.capacity) {
    const bool known =
        t.team >= 0 && static_cast<size_t>(t.team) < capacity.size() && capacity[t.team].known;
    if (!known || capacity[t.team].free_slots < t.min_free_slots ||
        (t.require_on_shift && !capacity[t.team].on_shift)) {
      if (failed_team != nullptr) *failed_team = t.team;
      return false;
    }
  }
  return true;
}

int FirstFailure(const RuleCondition& c, const RoutingFacts& f, const GridMap& map,
                 absl::Span<const CapacityState> capacity, int* failed_team) {
  if (!c.areas.empty() && (f.area < 0 || !WithinAreas(c.areas, f.area, map))) return kFieldArea;
  return FirstFailureAfterArea(c, f, capacity, failed_team);
}

int FirstFailureAfterArea(const RuleCondition& c, const RoutingFacts& f,
                          absl::Span<const CapacityState> capacity, int* failed_team) {
  if (c.police_care) {
    const bool valid_kind = f.kind != v1::INCIDENT_KIND_UNSPECIFIED && f.kind < kKindDomain;
    const bool police = (EffectiveFlags(f) & kFactNonPolice) == 0;
    if (!valid_kind || police != c.police_value) return kFieldPolice;
  }
  if (!InMask(c.kind, f.kind, kKindDomain)) return kFieldKind;
  if (!InMask(c.dispute, f.dispute_type, kDisputeDomain)) return kFieldDispute;
  if (!InMask(c.severity, f.severity, kSeverityDomain)) return kFieldSeverity;
  if (!InMask(c.channel, f.channel, kChannelDomain)) return kFieldChannel;
  if (!InMask(c.department, f.department, kDepartmentDomain)) return kFieldDepartment;
  if (f.amount_fen < c.amount_lo || f.amount_fen > c.amount_hi) return kFieldAmount;
  if (f.party_count < c.parties_lo || f.party_count > c.parties_hi) return kFieldParties;
  if (f.repeat_count < c.repeats_lo || f.repeat_count > c.repeats_hi) return kFieldRepeats;
  if (!InMask(c.hour, f.hour, kHourDomain)) return kFieldHour;
  if (!InMask(c.weekday, f.weekday, kWeekdayDomain)) return kFieldWeekday;
  if ((f.tags & c.tags) != c.tags) return kFieldTags;
  if ((c.flags_care & kFactInjury) && (f.flags & kFactInjury) != (c.flags_value & kFactInjury)) {
    return kFieldInjury;
  }
  if ((c.flags_care & kFactViolenceRisk) &&
      (f.flags & kFactViolenceRisk) != (c.flags_value & kFactViolenceRisk)) {
    return kFieldViolence;
  }
  if (!CapacityPasses(c, capacity, failed_team)) return kFieldCapacity;
  return kNumFields;
}

void BuildIndex(const GridMap& map, CompiledRules* compiled) {
  const int n_areas = map.size();
  std::vector<int32_t> position(compiled->rules.size());
  for (size_t i = 0; i < compiled->hit_order.size(); ++i) {
    position[compiled->hit_order[i]] = static_cast<int32_t>(i);
  }
  // Children lists, to spread an area-bound rule over every area below.
  std::vector<std::vector<int32_t>> children(n_areas);
  for (int a = 0; a < n_areas; ++a) {
    if (map.ParentIndex(a) >= 0) children[map.ParentIndex(a)].push_back(a);
  }
  std::vector<int32_t> global;
  std::vector<std::vector<int32_t>> local(n_areas);
  for (int32_t g : compiled->hit_order) {
    const RuleCondition& r = compiled->rules[g];
    if (r.areas.empty()) {
      global.push_back(g);
      continue;
    }
    std::vector<int32_t> stack(r.areas.begin(), r.areas.end());
    std::vector<bool> seen(n_areas, false);
    while (!stack.empty()) {
      const int32_t a = stack.back();
      stack.pop_back();
      if (seen[a]) continue;
      seen[a] = true;
      local[a].push_back(g);
      stack.insert(stack.end(), children[a].begin(), children[a].end());
    }
  }
  auto by_position = [&](int32_t x, int32_t y) { return position[x] < position[y]; };
  absl::flat_hash_map<std::vector<int32_t>, int32_t> dedupe;
  auto partition_for = [&](std::vector<int32_t> rules) {
    std::sort(rules.begin(), rules.end(), by_position);
    auto [it, inserted] = dedupe.emplace(rules, static_cast<int32_t>(compiled->partitions.size()));
    if (inserted) compiled->partitions.push_back(MakePartition(*compiled, std::move(rules)));
    return it->second;
  };
  compiled->unknown_area_partition = partition_for(global);
  compiled->partition_of_area.assign(n_areas, compiled->unknown_area_partition);
  for (int a = 0; a < n_areas; ++a) {
    if (local[a].empty()) continue;
    std::vector<int32_t> rules = global;
    rules.insert(rules.end(), local[a].begin(), local[a].end());
    compiled->partition_of_area[a] = partition_for(std::move(rules));
  }
}

}  // namespace fengqiao::routing_internal
