#include "routing/internal/compiled_rules.h"

#include <algorithm>
#include <cstring>

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

// A partition's rules and what its block needs before it is laid out.
struct PartitionPlan {
  std::vector<int32_t> rules;  // global indices in hit order
  std::vector<int64_t> points[kNumRanges];
};

// The [lo, hi] of range `field` of rule r.
std::pair<int64_t, int64_t> RangeOf(const RuleCondition& r, int field) {
  switch (field) {
    case kRangeAmount:
      return {r.amount_lo, r.amount_hi};
    case kRangeParties:
      return {r.parties_lo, r.parties_hi};
    default:
      return {r.repeats_lo, r.repeats_hi};
  }
}

// The sorted distinct breakpoints of range `field` over `rules`.
std::vector<int64_t> Breakpoints(const CompiledRules& compiled, const std::vector<int32_t>& rules,
                                 int field) {
  std::vector<int64_t> points;
  for (int32_t g : rules) {
    const auto [lo, hi] = RangeOf(compiled.rules[g], field);
    if (lo != std::numeric_limits<int64_t>::min()) points.push_back(lo);
    if (hi != std::numeric_limits<int64_t>::max()) points.push_back(hi + 1);
  }
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  return points;
}

// Fills the rows of one field: row v has bit i when rule i accepts value v (v == domain: "other").
template <typename Accepts>
void ValueRows(uint64_t* table, int words, const std::vector<const RuleCondition*>& rules,
               uint32_t rows, Accepts accepts) {
  for (size_t i = 0; i < rules.size(); ++i) {
    for (uint32_t v = 0; v < rows; ++v) {
      if (accepts(*rules[i], v)) SetBit(table, v, words, static_cast<int>(i));
    }
  }
}

// Appends a range field to `block` (layout: RangeRef).
RangeRef AppendRange(std::vector<uint64_t>& block, int words,
                     const std::vector<const RuleCondition*>& rules, int field, RangeScheme scheme,
                     const std::vector<int64_t>& points) {
  RangeRef ref;
  ref.bounds_at = static_cast<uint32_t>(block.size());
  ref.count = static_cast<uint32_t>(points.size());
  constexpr auto kPad = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  for (int64_t b : points) block.push_back(static_cast<uint64_t>(b));
  block.resize(ref.bounds_at + scheme.width, kPad);
  ref.sets_at = static_cast<uint32_t>(block.size());
  block.resize(block.size() + (points.size() + 1) * words, 0);
  uint64_t* sets = block.data() + ref.sets_at;
  for (size_t k = 0; k <= points.size(); ++k) {
    const int64_t rep = k == 0 ? std::numeric_limits<int64_t>::min() : points[k - 1];
    for (size_t i = 0; i < rules.size(); ++i) {
      const auto [lo, hi] = RangeOf(*rules[i], field);
      if (lo <= rep && rep <= hi) SetBit(sets, static_cast<int>(k), words, static_cast<int>(i));
    }
  }
  return ref;
}

// The block of one partition (layout: Partition), its length a multiple of 8 words.
std::vector<uint64_t> MakeBlock(const CompiledRules& compiled, const PartitionPlan& plan) {
  PartitionHead head;
  head.rule_count = static_cast<uint32_t>(plan.rules.size());
  const int words = std::max<int>(1, (static_cast<int>(plan.rules.size()) + 63) / 64);
  head.words = static_cast<uint32_t>(words);
  std::vector<const RuleCondition*> rules;
  for (int32_t g : plan.rules) rules.push_back(&compiled.rules[g]);
  std::vector<uint64_t> block(kHeadWords + kValueRows * words, 0);
  uint64_t* table = block.data() + kHeadWords;
  const auto rows = [&](uint32_t first_row) { return table + first_row * words; };
  ValueRows(rows(kKindRow), words, rules, kKindDomain + 1,
            [](const RuleCondition& r, uint32_t v) { return KindAccepted(r, v); });
  ValueRows(
      rows(kDisputeRow), words, rules, kDisputeDomain + 1,
      [](const RuleCondition& r, uint32_t v) { return InMask(r.dispute, v, kDisputeDomain); });
  ValueRows(
      rows(kSeverityRow), words, rules, kSeverityDomain + 1,
      [](const RuleCondition& r, uint32_t v) { return InMask(r.severity, v, kSeverityDomain); });
  ValueRows(
      rows(kChannelRow), words, rules, kChannelDomain + 1,
      [](const RuleCondition& r, uint32_t v) { return InMask(r.channel, v, kChannelDomain); });
  ValueRows(rows(kDepartmentRow), words, rules, kDepartmentDomain + 1,
            [](const RuleCondition& r, uint32_t v) {
              return InMask(r.department, v, kDepartmentDomain);
            });
  ValueRows(rows(kHourRow), words, rules, kHourDomain + 1,
            [](const RuleCondition& r, uint32_t v) { return InMask(r.hour, v, kHourDomain); });
  ValueRows(
      rows(kWeekdayRow), words, rules, kWeekdayDomain + 1,
      [](const RuleCondition& r, uint32_t v) { return InMask(r.weekday, v, kWeekdayDomain); });
  ValueRows(rows(kFlagsRow), words, rules, kFlagValues,
            [](const RuleCondition& r, uint32_t v) { return (v & r.flags_care) == r.flags_value; });
  for (int field = 0; field < kNumRanges; ++field) {
    head.ranges[field] =
        AppendRange(block, words, rules, field, compiled.range_scheme[field], plan.points[field]);
  }
  head.capacity_at = static_cast<uint32_t>(block.size());
  block.resize(block.size() + words, 0);
  for (size_t i = 0; i < rules.size(); ++i) {
    if (!rules[i]->capacity.empty()) {
      block[head.capacity_at + (i >> 6)] |= uint64_t{1} << (i & 63);
      head.flags |= PartitionHead::kHasCapacity;
    }
  }
  head.rules_at = static_cast<uint32_t>(block.size());
  block.resize(block.size() + (plan.rules.size() + 1) / 2, 0);
  std::copy(plan.rules.begin(), plan.rules.end(),
            reinterpret_cast<int32_t*>(block.data() + head.rules_at));
  head.tagged_at = static_cast<uint32_t>(block.size());
  for (size_t i = 0; i < rules.size(); ++i) {
    if (rules[i]->tags == 0) continue;
    block.push_back(i);
    block.push_back(rules[i]->tags);
    ++head.tagged_count;
  }
  if (head.tagged_count > 0) head.flags |= PartitionHead::kHasTagged;
  block.resize((block.size() + 7) / 8 * 8, 0);
  std::memcpy(block.data(), &head, sizeof(head));
  return block;
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
  std::vector<PartitionPlan> plans;
  auto partition_for = [&](std::vector<int32_t> rules) {
    std::sort(rules.begin(), rules.end(), by_position);
    auto [it, inserted] = dedupe.emplace(rules, static_cast<int32_t>(plans.size()));
    if (inserted) {
      PartitionPlan& plan = plans.emplace_back();
      plan.rules = std::move(rules);
      for (int field = 0; field < kNumRanges; ++field) {
        plan.points[field] = Breakpoints(*compiled, plan.rules, field);
      }
    }
    return it->second;
  };
  std::vector<int32_t> partition_of_area(n_areas + 1);
  partition_of_area[n_areas] = partition_for(global);
  for (int a = 0; a < n_areas; ++a) {
    if (local[a].empty()) {
      partition_of_area[a] = partition_of_area[n_areas];
      continue;
    }
    std::vector<int32_t> rules = global;
    rules.insert(rules.end(), local[a].begin(), local[a].end());
    partition_of_area[a] = partition_for(std::move(rules));
  }
  // One lookup scheme per range field for the whole rule set, from its largest partition.
  for (int field = 0; field < kNumRanges; ++field) {
    size_t most = 0;
    for (const PartitionPlan& plan : plans) most = std::max(most, plan.points[field].size());
    uint32_t& width = compiled->range_scheme[field].width;
    width = 0;
    if (most > 0) {
      width = 1;
      while (width < most) width *= 2;
    }
  }
  std::vector<uint32_t> block_at(plans.size());
  std::vector<uint64_t> blocks;
  for (size_t i = 0; i < plans.size(); ++i) {
    const std::vector<uint64_t> block = MakeBlock(*compiled, plans[i]);
    block_at[i] = static_cast<uint32_t>(blocks.size());
    blocks.insert(blocks.end(), block.begin(), block.end());
  }
  // Room to align the first block to 64 bytes (CompiledRules::blocks_base).
  compiled->blocks.assign(blocks.size() + 7, 0);
  std::copy(blocks.begin(), blocks.end(), const_cast<uint64_t*>(compiled->blocks_base()));
  compiled->partition_count = plans.size();
  compiled->prefetch = blocks.size() * sizeof(uint64_t) > kPrefetchAboveBytes;
  compiled->block_of_area.resize(n_areas + 1);
  for (int a = 0; a <= n_areas; ++a) compiled->block_of_area[a] = block_at[partition_of_area[a]];
}

}  // namespace fengqiao::routing_internal
