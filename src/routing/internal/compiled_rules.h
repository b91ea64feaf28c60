// Internal: the compiled form of a rule set. Each rule's conditions become masks over small
// integer domains and integer ranges (RuleCondition); the rules are partitioned by area, and each
// partition holds, per field and value, the bitset of its rules that accept the value.
#ifndef FENGQIAO_SRC_ROUTING_INTERNAL_COMPILED_RULES_H_
#define FENGQIAO_SRC_ROUTING_INTERNAL_COMPILED_RULES_H_

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "fengqiao/grid/grid_map.h"
#include "fengqiao/routing/routing_facts.h"
#include "fengqiao/routing/rule_set.h"

namespace fengqiao::routing_internal {

// Value domains: enum values 0..N-1; one more slot ("other") catches out-of-range values, which
// only unconstrained conditions accept.
inline constexpr uint32_t kKindDomain = 9;
inline constexpr uint32_t kDisputeDomain = 14;
inline constexpr uint32_t kSeverityDomain = 5;
inline constexpr uint32_t kChannelDomain = 7;
inline constexpr uint32_t kDepartmentDomain = 12;
inline constexpr uint32_t kHourDomain = 24;
inline constexpr uint32_t kWeekdayDomain = 8;  // 0 unknown, 1 Monday .. 7 Sunday
inline constexpr uint32_t kAll = ~0u;

// Condition fields in the order an explanation checks them; names are the proto's.
enum Field : int {
  kFieldArea,
  kFieldPolice,
  kFieldKind,
  kFieldDispute,
  kFieldSeverity,
  kFieldChannel,
  kFieldDepartment,
  kFieldAmount,
  kFieldParties,
  kFieldRepeats,
  kFieldHour,
  kFieldWeekday,
  kFieldTags,
  kFieldInjury,
  kFieldViolence,
  kFieldCapacity,
  kNumFields
};
const char* FieldName(int field);

struct CapacityTestC {
  int32_t team;  // index into RuleSet::teams()
  int32_t min_free_slots;
  bool require_on_shift;
};

struct RuleCondition {
  uint32_t kind = kAll, dispute = kAll, severity = kAll, channel = kAll, department = kAll;
  uint32_t hour = kAll, weekday = kAll;
  bool police_care = false, police_value = false;
  int64_t amount_lo = std::numeric_limits<int64_t>::min();
  int64_t amount_hi = std::numeric_limits<int64_t>::max();
  int64_t parties_lo = std::numeric_limits<int64_t>::min();
  int64_t parties_hi = std::numeric_limits<int64_t>::max();
  int64_t repeats_lo = std::numeric_limits<int64_t>::min();
  int64_t repeats_hi = std::numeric_limits<int64_t>::max();
  uint8_t flags_care = 0, flags_value = 0;
  uint64_t tags = 0;
  std::vector<int32_t> areas;  // area indices; empty: anywhere
  std::vector<CapacityTestC> capacity;
  uint32_t constrained = 0;  // bit per Field that the rule sets
};

// Whether the kind value passes the kinds mask and the police_matter condition.
bool KindAccepted(const RuleCondition& c, uint32_t kind);

// The first field of `c` that `facts` fails (kNumFields: all hold). For a capacity failure,
// *failed_team gets the team index.
int FirstFailure(const RuleCondition& c, const RoutingFacts& facts, const GridMap& map,
                 absl::Span<const CapacityState> capacity, int* failed_team);

// Whether the capacity tests of `c` pass.
bool CapacityPasses(const RuleCondition& c, absl::Span<const CapacityState> capacity,
                    int* failed_team);

struct RangeTable {
  std::vector<int64_t> bounds;  // sorted; interval k is [bounds[k-1], bounds[k])
  std::vector<uint64_t> sets;   // (bounds.size() + 1) x words
  int Index(int64_t v) const {
    int k = 0;
    if (bounds.size() <= 8) {
      for (int64_t b : bounds) k += v >= b ? 1 : 0;
    } else {
      size_t lo = 0, hi = bounds.size();
      while (lo < hi) {
        const size_t mid = (lo + hi) / 2;
        if (bounds[mid] <= v) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      k = static_cast<int>(lo);
    }
    return k;
  }
};

struct Partition {
  int words = 1;
  std::vector<int32_t> rules;  // local bit -> global rule index, in hit order
  std::vector<uint64_t> kind, dispute, severity, channel, department, hour, weekday, flags;
  RangeTable amount, parties, repeats;
  std::vector<std::pair<int32_t, uint64_t>> tagged;  // local bit, required tags
  std::vector<uint64_t> with_capacity;               // rules with capacity tests
  bool has_tagged = false;
  bool has_capacity = false;
};

struct CompiledRules {
  std::vector<RuleCondition> rules;  // by global index (file order)
  std::vector<int32_t> hit_order;    // global indices in hit order
  std::vector<Partition> partitions;
  std::vector<int32_t> partition_of_area;  // by area index
  int32_t unknown_area_partition = 0;
};

// Builds the partitions and their tables.
void BuildIndex(const GridMap& map, CompiledRules* compiled);

inline uint32_t Clamp(uint32_t v, uint32_t domain) { return v < domain ? v : domain; }

// The bitset of a partition's rules that accept `f`, capacity not yet applied (`acc` has
// p.words words).
inline void Candidates(const Partition& p, const RoutingFacts& f, uint64_t* acc) {
  const int w = p.words;
  const uint64_t* k = &p.kind[Clamp(f.kind, kKindDomain) * w];
  const uint64_t* d = &p.dispute[Clamp(f.dispute_type, kDisputeDomain) * w];
  const uint64_t* s = &p.severity[Clamp(f.severity, kSeverityDomain) * w];
  const uint64_t* c = &p.channel[Clamp(f.channel, kChannelDomain) * w];
  const uint64_t* dp = &p.department[Clamp(f.department, kDepartmentDomain) * w];
  const uint64_t* h = &p.hour[Clamp(f.hour, kHourDomain) * w];
  const uint64_t* wd = &p.weekday[Clamp(f.weekday, kWeekdayDomain) * w];
  const uint64_t* fl = &p.flags[(f.flags & 3u) * w];
  const uint64_t* am = &p.amount.sets[p.amount.Index(f.amount_fen) * w];
  const uint64_t* pa = &p.parties.sets[p.parties.Index(f.party_count) * w];
  const uint64_t* re = &p.repeats.sets[p.repeats.Index(f.repeat_count) * w];
  for (int i = 0; i < w; ++i) {
    acc[i] = k[i] & d[i] & s[i] & c[i] & dp[i] & h[i] & wd[i] & fl[i] & am[i] & pa[i] & re[i];
  }
  if (p.has_tagged) {
    for (const auto& [bit, required] : p.tagged) {
      if ((f.tags & required) != required) acc[bit >> 6] &= ~(uint64_t{1} << (bit & 63));
    }
  }
}

}  // namespace fengqiao::routing_internal

#endif  // FENGQIAO_SRC_ROUTING_INTERNAL_COMPILED_RULES_H_
