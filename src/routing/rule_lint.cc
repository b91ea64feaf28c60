// The lint over converted rules. Each rule is a box: per field, the set of values it accepts
// (an enum field over its values plus the "other" slot for numbers outside the enum; hour 0..23
// plus other; the two flags as four combinations), ranges for amounts and counts, required tags,
// areas. The facts routing sees are any point of that product space, so "rule A covers rule B"
// is box containment and "A and B overlap" is box intersection, field by field, with no notion of
// which combinations a validated incident has. Candidates come from an index built as the rules
// are visited in hit order (per field and value, the bitset of earlier sound rules accepting it),
// so a 20,000-rule table is checked in milliseconds rather than by comparing every pair.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "fengqiao/incident/incident.h"
#include "routing/internal/hit_policy.h"
#include "routing/internal/rule_compiler.h"

namespace fengqiao::routing_internal {
namespace {

// Fields of a box and the number of values each has (the last one: "other").
enum BoxField : int {
  kBKind,
  kBDispute,
  kBSeverity,
  kBChannel,
  kBDepartment,
  kBHour,
  kBWeekday,
  kBFlags,
  kBoxFields
};
constexpr uint32_t kBoxValues[kBoxFields] = {
    kKindDomain + 1,       kDisputeDomain + 1, kSeverityDomain + 1, kChannelDomain + 1,
    kDepartmentDomain + 1, kHourDomain + 1,    kWeekdayDomain + 1,  kFlagValues};
constexpr uint32_t ValueBits(uint32_t values) { return values >= 32 ? ~0u : (1u << values) - 1; }

struct Box {
  uint32_t accepts[kBoxFields];
};

Box BoxOf(const RuleCondition& c) {
  Box b;
  b.accepts[kBKind] = 0;
  for (uint32_t v = 0; v < kBoxValues[kBKind]; ++v) {
    if (KindAccepted(c, v)) b.accepts[kBKind] |= 1u << v;
  }
  b.accepts[kBDispute] = c.dispute & ValueBits(kBoxValues[kBDispute]);
  b.accepts[kBSeverity] = c.severity & ValueBits(kBoxValues[kBSeverity]);
  b.accepts[kBChannel] = c.channel & ValueBits(kBoxValues[kBChannel]);
  b.accepts[kBDepartment] = c.department & ValueBits(kBoxValues[kBDepartment]);
  b.accepts[kBHour] = c.hour & ValueBits(kBoxValues[kBHour]);
  b.accepts[kBWeekday] = c.weekday & ValueBits(kBoxValues[kBWeekday]);
  b.accepts[kBFlags] = 0;
  for (uint32_t v = 0; v < kFlagValues; ++v) {
    if (((v ^ c.flags_value) & c.flags_care) == 0) b.accepts[kBFlags] |= 1u << v;
  }
  return b;
}

// Whether `outer` is `a` or one of its ancestors.
bool WithinOrSame(int32_t a, int32_t outer, const GridMap& map) {
  for (int32_t x = a; x >= 0; x = map.ParentIndex(x)) {
    if (x == outer) return true;
  }
  return false;
}

bool AreaCovers(const std::vector<int32_t>& outer, const std::vector<int32_t>& inner,
                const GridMap& map) {
  if (outer.empty()) return true;
  if (inner.empty()) return false;
  for (int32_t a : inner) {
    bool within = false;
    for (int32_t o : outer) within = within || WithinOrSame(a, o, map);
    if (!within) return false;
  }
  return true;
}

bool AreasIntersect(const std::vector<int32_t>& a, const std::vector<int32_t>& b,
                    const GridMap& map) {
  if (a.empty() || b.empty()) return true;
  for (int32_t x : a) {
    for (int32_t y : b) {
      if (WithinOrSame(x, y, map) || WithinOrSame(y, x, map)) return true;
    }
  }
  return false;
}

// Whether every fact `inner` accepts, `outer` accepts too (capacity aside).
bool Covers(const RuleCondition& outer, const Box& ob, const RuleCondition& inner, const Box& ib,
            const GridMap& map) {
  for (int f = 0; f < kBoxFields; ++f) {
    if ((ib.accepts[f] & ~ob.accepts[f]) != 0) return false;
  }
  return outer.amount_lo <= inner.amount_lo && inner.amount_hi <= outer.amount_hi &&
         outer.parties_lo <= inner.parties_lo && inner.parties_hi <= outer.parties_hi &&
         outer.repeats_lo <= inner.repeats_lo && inner.repeats_hi <= outer.repeats_hi &&
         (outer.tags & ~inner.tags) == 0 && AreaCovers(outer.areas, inner.areas, map);
}

// Whether some fact is accepted by both (capacity aside: both tests may pass).
bool Overlaps(const RuleCondition& a, const Box& ab, const RuleCondition& b, const Box& bb,
              const GridMap& map) {
  for (int f = 0; f < kBoxFields; ++f) {
    if ((ab.accepts[f] & bb.accepts[f]) == 0) return false;
  }
  return std::max(a.amount_lo, b.amount_lo) <= std::min(a.amount_hi, b.amount_hi) &&
         std::max(a.parties_lo, b.parties_lo) <= std::min(a.parties_hi, b.parties_hi) &&
         std::max(a.repeats_lo, b.repeats_lo) <= std::min(a.repeats_hi, b.repeats_hi) &&
         AreasIntersect(a.areas, b.areas, map);
}

// Bitsets over hit-order positions of the rules visited so far: per field and value, those that
// accept the value; per area, those bound to it; those bound to no area; those without capacity
// tests (only they can shadow: a full team lets the incident through).
class RuleIndex {
 public:
  RuleIndex(size_t rules, const GridMap& map) : words_((rules + 63) / 64), map_(map) {
    for (int f = 0; f < kBoxFields; ++f) {
      value_rows_[f].assign(static_cast<size_t>(kBoxValues[f]) * words_, 0);
    }
    anywhere_.assign(words_, 0);
    no_capacity_.assign(words_, 0);
    children_.resize(map.size());
    for (int a = 0; a < map.size(); ++a) {
      if (map.ParentIndex(a) >= 0) children_[map.ParentIndex(a)].push_back(a);
    }
  }

  void Add(size_t position, const RuleCondition& c, const Box& b) {
    const size_t w = position >> 6;
    const uint64_t bit = uint64_t{1} << (position & 63);
    for (int f = 0; f < kBoxFields; ++f) {
      for (uint32_t v = 0; v < kBoxValues[f]; ++v) {
        if ((b.accepts[f] >> v) & 1u) value_rows_[f][v * words_ + w] |= bit;
      }
    }
    if (c.areas.empty()) anywhere_[w] |= bit;
    for (int32_t a : c.areas) {
      auto& row = area_rows_[a];
      if (row.empty()) row.assign(words_, 0);
      row[w] |= bit;
    }
    if (c.capacity.empty()) no_capacity_[w] |= bit;
  }

  // Earlier rules (positions < `before`) that may cover `c`: they accept one fact of its box
  // (the lowest value of every field, in its first area) and have no capacity test.
  void CoverCandidates(const RuleCondition& c, const Box& b, size_t before,
                       std::vector<uint64_t>* out) const {
    const size_t n = Start(before, out);
    const uint64_t* rows[kBoxFields];
    for (int f = 0; f < kBoxFields; ++f) {
      rows[f] = value_rows_[f].data() + __builtin_ctz(b.accepts[f]) * words_;
    }
    auto& acc = *out;
    for (size_t w = 0; w < n; ++w) {
      uint64_t x = acc[w] & no_capacity_[w];
      for (int f = 0; f < kBoxFields; ++f) x &= rows[f][w];
      acc[w] = x;
    }
    // Areas: rules bound nowhere, or bound to the first area or one above it.
    std::vector<uint64_t> areas(anywhere_.begin(), anywhere_.begin() + n);
    if (!c.areas.empty()) {
      for (int32_t a = c.areas[0]; a >= 0; a = map_.ParentIndex(a)) OrArea(a, n, &areas);
    }
    for (size_t w = 0; w < n; ++w) acc[w] &= areas[w];
  }

  // Earlier rules that may match an incident `c` matches: they accept some value of every field
  // it constrains and share an area with it.
  void OverlapCandidates(const RuleCondition& c, const Box& b, size_t before,
                         std::vector<uint64_t>* out) const {
    const size_t n = Start(before, out);
    auto& acc = *out;
    std::vector<uint64_t> any(n);
    for (int f = 0; f < kBoxFields; ++f) {
      if (b.accepts[f] == ValueBits(kBoxValues[f])) continue;  // every rule shares a value
      std::fill(any.begin(), any.end(), 0);
      for (uint32_t bits = b.accepts[f]; bits != 0; bits &= bits - 1) {
        const uint64_t* row = value_rows_[f].data() + __builtin_ctz(bits) * words_;
        for (size_t w = 0; w < n; ++w) any[w] |= row[w];
      }
      for (size_t w = 0; w < n; ++w) acc[w] &= any[w];
    }
    if (c.areas.empty()) return;
    std::vector<uint64_t> areas(anywhere_.begin(), anywhere_.begin() + n);
    for (int32_t a : c.areas) {
      for (int32_t up = map_.ParentIndex(a); up >= 0; up = map_.ParentIndex(up)) {
        OrArea(up, n, &areas);
      }
      std::vector<int32_t> stack = {a};  // the area and every area below it
      while (!stack.empty()) {
        const int32_t x = stack.back();
        stack.pop_back();
        OrArea(x, n, &areas);
        stack.insert(stack.end(), children_[x].begin(), children_[x].end());
      }
    }
    for (size_t w = 0; w < n; ++w) acc[w] &= areas[w];
  }

 private:
  // Sets `out` to the positions before `before`; returns the number of words in use.
  size_t Start(size_t before, std::vector<uint64_t>* out) const {
    const size_t n = (before + 63) / 64;
    out->assign(n, ~uint64_t{0});
    if (n > 0 && (before & 63) != 0) (*out)[n - 1] = (uint64_t{1} << (before & 63)) - 1;
    return n;
  }
  void OrArea(int32_t area, size_t n, std::vector<uint64_t>* into) const {
    auto it = area_rows_.find(area);
    if (it == area_rows_.end()) return;
    for (size_t w = 0; w < n; ++w) (*into)[w] |= it->second[w];
  }

  size_t words_;
  const GridMap& map_;
  std::vector<uint64_t> value_rows_[kBoxFields];
  absl::flat_hash_map<int32_t, std::vector<uint64_t>> area_rows_;
  std::vector<uint64_t> anywhere_, no_capacity_;
  std::vector<std::vector<int32_t>> children_;
};

// Calls `visit(position)` for each set bit in order until it returns true.
template <typename Visit>
void ForEachBit(const std::vector<uint64_t>& bits, Visit visit) {
  for (size_t w = 0; w < bits.size(); ++w) {
    for (uint64_t x = bits[w]; x != 0; x &= x - 1) {
      if (visit(w * 64 + __builtin_ctzll(x))) return;
    }
  }
}

// Incident categories a validated incident can fall in: (kind, dispute type, department, police
// matter or not), a dispute type only for disputes, a department only for non-police matters;
// every kind but NON_POLICE can be either a police matter or not (a dispute diverted to 社区).
struct Category {
  uint32_t kind, dispute, department;
  bool police;
};

std::vector<Category> Categories() {
  std::vector<Category> out;
  for (uint32_t k = 1; k < kKindDomain; ++k) {
    for (bool police : {true, false}) {
      if (police && k == v1::INCIDENT_KIND_NON_POLICE) continue;
      for (uint32_t d = 1; d < (k == v1::INCIDENT_KIND_DISPUTE ? kDisputeDomain : 2); ++d) {
        const uint32_t dispute = k == v1::INCIDENT_KIND_DISPUTE ? d : 0;
        if (police) {
          out.push_back({k, dispute, 0, true});
        } else {
          for (uint32_t dp = 1; dp < kDepartmentDomain; ++dp) out.push_back({k, dispute, dp, false});
        }
      }
    }
  }
  return out;
}

std::string CategoryName(const Category& s) {
  std::string what =
      s.kind == v1::INCIDENT_KIND_DISPUTE
          ? absl::StrCat("dispute ", DisputeTypeName(static_cast<v1::DisputeType>(s.dispute)))
          : std::string(IncidentKindName(static_cast<v1::IncidentKind>(s.kind)));
  if (s.police) return what;
  if (s.kind == v1::INCIDENT_KIND_NON_POLICE) what.clear();
  return absl::StrCat(what, what.empty() ? "" : " as a ", "non-police ",
                      DepartmentName(static_cast<v1::Department>(s.department)),
                      what.empty() ? "" : " matter");
}

// Gaps: categories that, for some severity and channel, no rule constrained only on those fields
// catches; none when a rule has no conditions at all.
void Gaps(Compiler& compiler, const std::vector<RuleCondition>& rules,
          const std::vector<Box>& boxes) {
  constexpr uint32_t kCategoryFields = (1u << kFieldPolice) | (1u << kFieldKind) |
                                       (1u << kFieldDispute) | (1u << kFieldDepartment) |
                                       (1u << kFieldSeverity) | (1u << kFieldChannel);
  std::vector<int> catchers;
  for (size_t i = 0; i < rules.size(); ++i) {
    if (!compiler.rule_ok[i]) continue;
    if (rules[i].constrained == 0) return;  // a default rule catches everything
    if ((rules[i].constrained & ~kCategoryFields) == 0) catchers.push_back(static_cast<int>(i));
  }
  constexpr int kShapes = (kSeverityDomain - 1) * (kChannelDomain - 1);
  int reported = 0;
  for (const Category& s : Categories()) {
    if (reported >= compiler.options.max_gap_reports) break;
    int missing = 0;
    std::string example;
    for (uint32_t sev = 1; sev < kSeverityDomain; ++sev) {
      for (uint32_t ch = 1; ch < kChannelDomain; ++ch) {
        bool caught = false;
        for (int i : catchers) {
          const Box& b = boxes[i];
          if (((b.accepts[kBKind] >> s.kind) & 1u) && ((b.accepts[kBDispute] >> s.dispute) & 1u) &&
              ((b.accepts[kBDepartment] >> s.department) & 1u) &&
              ((b.accepts[kBFlags] >> (s.police ? 0 : kFactNonPolice)) & 1u) &&
              ((b.accepts[kBSeverity] >> sev) & 1u) && ((b.accepts[kBChannel] >> ch) & 1u)) {
            caught = true;
            break;
          }
        }
        if (!caught && missing++ == 0) {
          example = absl::StrCat(SeverityName(static_cast<v1::Severity>(sev)), " from ",
                                 ChannelName(static_cast<v1::Channel>(ch)));
        }
      }
    }
    if (missing > 0) {
      compiler.Add(RuleIssue::Severity::kWarning, -1, "rules", "gap",
                   absl::StrCat("no rule is sure to catch ", CategoryName(s), " incidents (",
                                missing, " of ", kShapes, " severity x channel shapes, e.g. ",
                                example, "); add a default rule"));
      ++reported;
    }
  }
}

}  // namespace

void Lint(Compiler& compiler, const CompiledRules& compiled) {
  const std::vector<RuleCondition>& rules = compiled.rules;
  const v1::RuleSet& proto = compiler.source.proto();
  const GridMap& map = compiler.map;
  std::vector<Box> boxes(rules.size());
  for (size_t i = 0; i < rules.size(); ++i) boxes[i] = BoxOf(rules[i]);

  // A rule whose box is empty matches nothing, wherever it stands.
  for (size_t i = 0; i < rules.size(); ++i) {
    if (compiler.rule_ok[i] && boxes[i].accepts[kBKind] == 0) {
      compiler.Error(static_cast<int>(i), "when", "never-matches",
                     absl::StrCat("can never fire: no incident kind passes both kinds and "
                                  "police_matter: ",
                                  rules[i].police_value ? "true" : "false"));
    }
  }

  const HitPolicy policy = compiled.policy;
  if (policy.first_match_wins() || policy.unique()) {
    RuleIndex index(rules.size(), map);
    std::vector<uint64_t> candidates;
    int overlaps_reported = 0;
    constexpr int kMaxOverlapReports = 100;
    for (size_t pos = 0; pos < compiled.hit_order.size(); ++pos) {
      const int j = compiled.hit_order[pos];
      if (!compiler.rule_ok[j]) continue;
      if (policy.first_match_wins()) {
        index.CoverCandidates(rules[j], boxes[j], pos, &candidates);
        ForEachBit(candidates, [&](size_t p) {
          const int i = compiled.hit_order[p];
          if (!Covers(rules[i], boxes[i], rules[j], boxes[j], map)) return false;
          compiler.Error(j, "", "shadowed",
                         absl::StrCat("can never fire: rule \"", proto.rules(i).id(), "\" (",
                                      compiler.source.Where(i),
                                      ") comes first and matches every incident this rule "
                                      "matches"));
          return true;
        });
      } else if (overlaps_reported < kMaxOverlapReports) {
        index.OverlapCandidates(rules[j], boxes[j], pos, &candidates);
        ForEachBit(candidates, [&](size_t p) {
          const int i = compiled.hit_order[p];
          if (!Overlaps(rules[i], boxes[i], rules[j], boxes[j], map)) return false;
          compiler.Error(j, "", "overlap",
                         absl::StrCat("overlaps rule \"", proto.rules(i).id(), "\" (",
                                      compiler.source.Where(i),
                                      "): under UNIQUE an incident may match only one rule"));
          ++overlaps_reported;
          return true;
        });
      }
      if (compiler.rule_ok[j]) index.Add(pos, rules[j], boxes[j]);
    }
  }
  Gaps(compiler, rules, boxes);
}

}  // namespace fengqiao::routing_internal
