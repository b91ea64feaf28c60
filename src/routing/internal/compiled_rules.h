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

// A range field inside Partition::data: `count` sorted breakpoints at `bounds_at` (interval k is
// [bound k-1, bound k)), then count + 1 bitsets at `sets_at`.
struct RangeRef {
  uint32_t bounds_at = 0;
  uint32_t count = 0;
  uint32_t sets_at = 0;
};

// One partition: every table in one contiguous buffer, so a decision touches a few adjacent cache
// lines and no pointers but the base.
struct Partition {
  int words = 1;
  std::vector<int32_t> rules;  // local bit -> global rule index, in hit order
  std::vector<uint64_t> data;  // value tables (kValueRows x words), then the range fields
  RangeRef amount, parties, repeats;
  std::vector<std::pair<int32_t, uint64_t>> tagged;  // local bit, required tags
  std::vector<uint64_t> with_capacity;               // rules with capacity tests
  bool has_tagged = false;
  bool has_capacity = false;

  const uint64_t* Row(uint32_t row) const { return data.data() + row * words; }
  const uint64_t* RangeSet(const RangeRef& r, int64_t v) const {
    const uint64_t* bounds = data.data() + r.bounds_at;
    uint32_t k = 0;
    if (r.count <= 8) {
      for (uint32_t i = 0; i < r.count; ++i) k += v >= static_cast<int64_t>(bounds[i]) ? 1 : 0;
    } else {
      uint32_t lo = 0, hi = r.count;
      while (lo < hi) {
        const uint32_t mid = (lo + hi) / 2;
        if (static_cast<int64_t>(bounds[mid]) <= v) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      k = lo;
    }
    return data.data() + r.sets_at + k * words;
  }
};

struct CompiledRules {
  std::vector<RuleCondition> rules;  // by global index (file order)
  std::vector<int32_t> hit_order;    // global indices in hit order
  std::vector<Partition> partitions;
  std::vector<int32_t> partition_of_area;  // by area index
  int32_t unknown_area_partition = 0;
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

// The bitset of a partition's rules that accept `f`, capacity not yet applied (`acc` has
// p.words words).
inline void Candidates(const Partition& p, const RoutingFacts& f, uint64_t* acc) {
  const int w = p.words;
  const uint64_t* k = p.Row(kKindRow + Clamp(f.kind, kKindDomain));
  const uint64_t* d = p.Row(kDisputeRow + Clamp(f.dispute_type, kDisputeDomain));
  const uint64_t* s = p.Row(kSeverityRow + Clamp(f.severity, kSeverityDomain));
  const uint64_t* c = p.Row(kChannelRow + Clamp(f.channel, kChannelDomain));
  const uint64_t* dp = p.Row(kDepartmentRow + Clamp(f.department, kDepartmentDomain));
  const uint64_t* h = p.Row(kHourRow + Clamp(f.hour, kHourDomain));
  const uint64_t* wd = p.Row(kWeekdayRow + Clamp(f.weekday, kWeekdayDomain));
  const uint64_t* fl = p.Row(kFlagsRow + (EffectiveFlags(f) & (kFlagValues - 1)));
  const uint64_t* am = p.RangeSet(p.amount, f.amount_fen);
  const uint64_t* pa = p.RangeSet(p.parties, f.party_count);
  const uint64_t* re = p.RangeSet(p.repeats, f.repeat_count);
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
