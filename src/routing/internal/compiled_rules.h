// Internal: the compiled form of a rule set. Each rule's conditions become masks over small
// integer domains and integer ranges (RuleCondition); the rules are partitioned by area, and each
// partition holds, per field and value, the bitset of its rules that accept the value.
#ifndef FENGQIAO_SRC_ROUTING_INTERNAL_COMPILED_RULES_H_
#define FENGQIAO_SRC_ROUTING_INTERNAL_COMPILED_RULES_H_

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/routing/routing_facts.h"
#include "fengqiao/routing/rule_set.h"
#include "fengqiao/v1/force.pb.h"
#include "fengqiao/v1/incident.pb.h"
#include "fengqiao/v1/routing.pb.h"
#include "fengqiao/v1/taxonomy.pb.h"
#include "routing/internal/hit_policy.h"

namespace fengqiao::routing_internal {

// Value domains: enum values 0..N-1; one more slot ("other") catches out-of-range values, which
// only unconstrained conditions accept.
// The sizes come from the generated enums, so a value added to a proto is routed without an edit
// here; each domain must fit the 32-bit masks of RuleCondition.
inline constexpr uint32_t kKindDomain = v1::IncidentKind_ARRAYSIZE;
inline constexpr uint32_t kDisputeDomain = v1::DisputeType_ARRAYSIZE;
inline constexpr uint32_t kSeverityDomain = v1::Severity_ARRAYSIZE;
inline constexpr uint32_t kChannelDomain = v1::Channel_ARRAYSIZE;
inline constexpr uint32_t kDepartmentDomain = v1::Department_ARRAYSIZE;
inline constexpr uint32_t kHourDomain = 24;
inline constexpr uint32_t kWeekdayDomain =
    v1::Weekday_ARRAYSIZE;  // 0 unknown, 1 Monday .. 7 Sunday
static_assert(kKindDomain < 32 && kDisputeDomain < 32 && kSeverityDomain < 32 &&
                  kChannelDomain < 32 && kDepartmentDomain < 32 && kWeekdayDomain < 32,
              "an enum outgrew the 32-bit condition masks (one bit is the 'other' slot)");
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

// FirstFailure for a rule whose area condition is known to hold (a rule of the partition of the
// facts' area: BuildIndex puts a rule only into the partitions of the areas it covers).
int FirstFailureAfterArea(const RuleCondition& c, const RoutingFacts& facts,
                          absl::Span<const CapacityState> capacity, int* failed_team);

// Whether the capacity tests of `c` pass.
bool CapacityPasses(const RuleCondition& c, absl::Span<const CapacityState> capacity,
                    int* failed_team);

// Rows of the value tables inside Partition::data, in units of `words` (one extra "other" row per
// field for out-of-range values).
inline constexpr uint32_t kKindRow = 0;
inline constexpr uint32_t kDisputeRow = kKindRow + kKindDomain + 1;
inline constexpr uint32_t kSeverityRow = kDisputeRow + kDisputeDomain + 1;
inline constexpr uint32_t kChannelRow = kSeverityRow + kSeverityDomain + 1;
inline constexpr uint32_t kDepartmentRow = kChannelRow + kChannelDomain + 1;
inline constexpr uint32_t kHourRow = kDepartmentRow + kDepartmentDomain + 1;
inline constexpr uint32_t kWeekdayRow = kHourRow + kHourDomain + 1;
inline constexpr uint32_t kFlagsRow = kWeekdayRow + kWeekdayDomain + 1;
// Flag combinations (kFactInjury | kFactViolenceRisk | kFactNonPolice).
inline constexpr uint32_t kFlagValues = 8;
inline constexpr uint32_t kValueRows = kFlagsRow + kFlagValues;

// Range fields, in the order of PartitionHead::ranges.
enum RangeField : int { kRangeAmount, kRangeParties, kRangeRepeats, kNumRanges };

// How a rule set looks up one range field, the same in every partition (so that its branches go
// the same way for every decision): `width` bounds (0: no partition has a breakpoint, every
// value is in interval 0; else a power of two, the fewest that hold every partition's
// breakpoints, padded with INT64_MAX), compared all at once up to 8, by a binary search without
// branches beyond.
struct RangeScheme {
  uint32_t width = 0;
};

// A range field inside a partition's block: `count` sorted breakpoints at `bounds_at` (interval
// k is [bound k-1, bound k)), padded to RangeScheme::width with INT64_MAX; then count + 1 bitsets
// at `sets_at`. Offsets in words from the block's start.
struct RangeRef {
  uint32_t bounds_at = 0;
  uint32_t count = 0;
  uint32_t sets_at = 0;
};

// The head of a partition's block (one cache line).
struct PartitionHead {
  uint32_t words = 1;       // bitset words (64 rules each)
  uint32_t rule_count = 0;  // rules of the partition
  uint32_t flags = 0;       // kHasTagged | kHasCapacity
  uint32_t tagged_count = 0;
  uint32_t capacity_at = 0;  // `words` words: rules with capacity tests
  uint32_t rules_at = 0;     // rule_count int32: local bit -> global rule index, in hit order
  uint32_t tagged_at = 0;    // tagged_count pairs of words: local bit, required tags
  RangeRef ranges[kNumRanges];
  static constexpr uint32_t kHasTagged = 1;    // some rule requires tags
  static constexpr uint32_t kHasCapacity = 2;  // some rule has capacity tests
};
inline constexpr uint32_t kHeadWords = sizeof(PartitionHead) / sizeof(uint64_t);
static_assert(sizeof(PartitionHead) == 64, "the head is one cache line");

// One partition: a view of its block in CompiledRules::blocks, where every table of the
// partition lies in one 64-byte aligned run of words (the head, the value rows right after it,
// the range fields, the capacity bits, the rule indices), so a decision reads a few adjacent
// cache lines and follows no pointer but the block's.
class Partition {
 public:
  explicit Partition(const uint64_t* block) : block_(block) {}

  const PartitionHead& head() const { return *reinterpret_cast<const PartitionHead*>(block_); }
  int words() const { return static_cast<int>(head().words); }
  bool has_tagged() const { return (head().flags & PartitionHead::kHasTagged) != 0; }
  bool has_capacity() const { return (head().flags & PartitionHead::kHasCapacity) != 0; }
  // Local bit -> global rule index, in hit order.
  absl::Span<const int32_t> rules() const {
    return {reinterpret_cast<const int32_t*>(block_ + head().rules_at), head().rule_count};
  }
  const uint64_t* with_capacity() const { return block_ + head().capacity_at; }
  const uint64_t* Row(uint32_t row) const { return block_ + kHeadWords + row * head().words; }
  const uint64_t* RangeBounds(int field) const { return block_ + head().ranges[field].bounds_at; }
  // The bitset of the rules whose range `field` holds v (`words`: words()).
  const uint64_t* RangeSet(int field, RangeScheme scheme, int64_t v, uint32_t words) const;
  // Rules requiring tags: (local bit, tags) for i < head().tagged_count.
  int32_t tagged_bit(uint32_t i) const {
    return static_cast<int32_t>(block_[head().tagged_at + 2 * i]);
  }
  uint64_t tagged_tags(uint32_t i) const { return block_[head().tagged_at + 2 * i + 1]; }

 private:
  const uint64_t* block_;
};

#define FENGQIAO_HOT inline __attribute__((always_inline))

// How many of the N bounds at `b` are <= v (no branch).
template <int N>
__attribute__((always_inline)) inline uint32_t CountAtMost(const uint64_t* b, int64_t v) {
  uint32_t k = 0;
#pragma GCC unroll 8
  for (int i = 0; i < N; ++i) k += static_cast<int64_t>(b[i]) <= v ? 1u : 0u;
  return k;
}

// How many of the `width` (a power of two) sorted bounds at `b` are <= v.
__attribute__((always_inline)) inline uint32_t CountAtMostSorted(uint32_t width, const uint64_t* b,
                                                                 int64_t v) {
  switch (width) {
    case 1:
      return CountAtMost<1>(b, v);
    case 2:
      return CountAtMost<2>(b, v);
    case 4:
      return CountAtMost<4>(b, v);
    case 8:
      return CountAtMost<8>(b, v);
    default: {
      // Binary search with a conditional move per step (log2(width) steps, no branch taken on
      // the data), then the last 8 at once.
      const uint64_t* base = b;
      for (uint32_t n = width; n > 8; n /= 2) {
        base = static_cast<int64_t>(base[n / 2 - 1]) <= v ? base + n / 2 : base;
      }
      return static_cast<uint32_t>(base - b) + CountAtMost<8>(base, v);
    }
  }
}

FENGQIAO_HOT const uint64_t* Partition::RangeSet(int field, RangeScheme scheme, int64_t v,
                                                 uint32_t words) const {
  const RangeRef& r = head().ranges[field];
  uint32_t k = scheme.width == 0 ? 0 : CountAtMostSorted(scheme.width, block_ + r.bounds_at, v);
  k = k < r.count ? k : r.count;  // padding counts only for v == INT64_MAX
  return block_ + r.sets_at + k * words;
}

struct CompiledRules {
  std::vector<RuleCondition> rules;  // by global index (file order)
  std::vector<int32_t> hit_order;    // global indices in hit order
  // Every partition's block, each 64-byte aligned (blocks_base() is), and the block of each
  // area by area index, then one more: the block of an unknown area (only rules without an area
  // condition).
  std::vector<uint64_t> blocks;
  std::vector<uint32_t> block_of_area;
  RangeScheme range_scheme[kNumRanges];
  size_t partition_count = 0;
  // Whether the batch paths prefetch a few decisions ahead: when the blocks outgrow what a core's
  // L2 holds (kPrefetchAboveBytes; below it prefetching measured as a small loss,
  // bench/RESULTS.md).
  bool prefetch = false;
  // blocks.data() rounded up to 64 bytes (blocks holds 7 words more than it needs).
  const uint64_t* blocks_base() const {
    const auto a = reinterpret_cast<uintptr_t>(blocks.data());
    return blocks.data() + ((64 - (a & 63)) & 63) / sizeof(uint64_t);
  }
  // The partition of `area` (any value; outside the map: the unknown area's).
  Partition PartitionOf(int32_t area) const {
    const auto n = static_cast<uint32_t>(block_of_area.size() - 1);
    const auto a = static_cast<uint32_t>(area);
    return Partition(blocks_base() + block_of_area[a < n ? a : n]);
  }
  HitPolicy policy = HitPolicy::Of(v1::HIT_POLICY_FIRST);
  // Wire fragments of v1::Decision (RuleSet::AppendDecisionBytes): per rule, fields 2-3
  // (rule_id, action) and field 6 (matched_conditions); for the set, fields 4-5 (version, hash).
  std::vector<std::string> decision_head;
  std::vector<std::string> decision_conditions;
  std::string decision_set;
  // Field 10 (catalogue) under a responsibility catalogue: [0] the fallback owner, [i + 1] item i.
  std::vector<std::string> decision_catalogue;
};

// Fills the wire fragments of `compiled` for the rule set `proto` whose content hash is `hash`,
// compiled with `catalogue` (may be null).
void EncodeDecisionFragments(const v1::RuleSet& proto, const std::string& hash,
                             const ResponsibilityCatalogue* catalogue, CompiledRules* compiled);

// Under `catalogue`, a non-police matter's department from its item (facts->matter, an index;
// anything else is no item: kMatterFallback and the fallback owner); kNoMatter for a police
// matter. The one place both MakeRoutingFacts and RouteColumns resolve it.
void ApplyCatalogue(const ResponsibilityCatalogue& catalogue, RoutingFacts* facts);

// Builds the partitions and their tables.
void BuildIndex(const GridMap& map, CompiledRules* compiled);

inline uint32_t Clamp(uint32_t v, uint32_t domain) { return v < domain ? v : domain; }

// The facts' flags with kFactNonPolice set for kind NON_POLICE (columns built by hand may carry
// the kind without the flag).
inline uint8_t EffectiveFlags(const RoutingFacts& f) {
  return f.flags | (f.kind == v1::INCIDENT_KIND_NON_POLICE ? kFactNonPolice : 0);
}

// The value row of each value field of `f`, in a partition's value tables (kKindRow ..
// kFlagsRow order).
inline constexpr int kValueFields = 8;
inline void ValueRowsOf(const RoutingFacts& f, uint32_t rows[kValueFields]) {
  rows[0] = kKindRow + Clamp(f.kind, kKindDomain);
  rows[1] = kDisputeRow + Clamp(f.dispute_type, kDisputeDomain);
  rows[2] = kSeverityRow + Clamp(f.severity, kSeverityDomain);
  rows[3] = kChannelRow + Clamp(f.channel, kChannelDomain);
  rows[4] = kDepartmentRow + Clamp(f.department, kDepartmentDomain);
  rows[5] = kHourRow + Clamp(f.hour, kHourDomain);
  rows[6] = kWeekdayRow + Clamp(f.weekday, kWeekdayDomain);
  rows[7] = kFlagsRow + (EffectiveFlags(f) & (kFlagValues - 1));
}

// The bitset of a partition's rules that accept `f`, capacity not yet applied (`acc` has
// p.words() words; kOneWord: the caller knows it is 1).
template <bool kOneWord = false>
FENGQIAO_HOT void Candidates(const CompiledRules& compiled, const Partition& p,
                             const RoutingFacts& f, uint64_t* acc) {
  const RangeScheme* scheme = compiled.range_scheme;
  const uint32_t w = kOneWord ? 1 : p.head().words;
  const uint64_t* base = p.Row(0);
  uint32_t rows[kValueFields];
  ValueRowsOf(f, rows);
  const uint64_t* k = base + rows[0] * w;
  const uint64_t* d = base + rows[1] * w;
  const uint64_t* s = base + rows[2] * w;
  const uint64_t* ch = base + rows[3] * w;
  const uint64_t* dp = base + rows[4] * w;
  const uint64_t* h = base + rows[5] * w;
  const uint64_t* wd = base + rows[6] * w;
  const uint64_t* fl = base + rows[7] * w;
  const uint64_t* am = p.RangeSet(kRangeAmount, scheme[kRangeAmount], f.amount_fen, w);
  const uint64_t* pa = p.RangeSet(kRangeParties, scheme[kRangeParties], f.party_count, w);
  const uint64_t* re = p.RangeSet(kRangeRepeats, scheme[kRangeRepeats], f.repeat_count, w);
  for (uint32_t i = 0; i < w; ++i) {
    acc[i] = k[i] & d[i] & s[i] & ch[i] & dp[i] & h[i] & wd[i] & fl[i] & am[i] & pa[i] & re[i];
  }
  if (p.has_tagged()) {
    const uint32_t n = p.head().tagged_count;
    for (uint32_t i = 0; i < n; ++i) {
      const uint64_t required = p.tagged_tags(i);
      const int32_t bit = p.tagged_bit(i);
      if ((f.tags & required) != required) acc[bit >> 6] &= ~(uint64_t{1} << (bit & 63));
    }
  }
}

// Blocks larger than this (a core's L2 on the project's machine) are prefetched in batches.
inline constexpr size_t kPrefetchAboveBytes = size_t{1} << 20;

// Batch paths: the head of the partition of `f`, for a decision a few rows ahead.
inline void PrefetchHead(const CompiledRules& compiled, const RoutingFacts& f) {
  __builtin_prefetch(&compiled.PartitionOf(f.area).head());
}

// Batch paths: the first line of each value row Candidates will read for `f`, of each range
// field's breakpoints and of the rule indices (the head fetched by PrefetchHead a few rows
// before).
inline void PrefetchRows(const CompiledRules& compiled, const RoutingFacts& f) {
  const Partition p = compiled.PartitionOf(f.area);
  uint32_t rows[kValueFields];
  ValueRowsOf(f, rows);
  for (uint32_t row : rows) __builtin_prefetch(p.Row(row));
  for (int field = 0; field < kNumRanges; ++field) {
    if (compiled.range_scheme[field].width == 0) continue;
    __builtin_prefetch(p.RangeBounds(field));
  }
  __builtin_prefetch(p.rules().data());
}

}  // namespace fengqiao::routing_internal

#endif  // FENGQIAO_SRC_ROUTING_INTERNAL_COMPILED_RULES_H_
