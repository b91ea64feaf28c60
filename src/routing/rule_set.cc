#include "fengqiao/routing/rule_set.h"

#include "internal/proto_files.h"
#include "fengqiao/vocabulary.h"

#include <algorithm>
#include <cstring>
#include <tuple>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "fengqiao/incident/incident.h"
#include "fengqiao/status_macros.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "internal/columns.h"
#include "internal/time_util.h"
#include "routing/internal/compiled_rules.h"

namespace fengqiao {

using routing_internal::CompiledRules;
using routing_internal::Partition;
using routing_internal::RuleCondition;

namespace {

constexpr int kMaxTags = 64;

// Collects findings and the state of a compile in progress.
struct Compiler {
  const RuleSetSource& source;
  const GridMap& map;
  const RuleSetOptions& options;
  std::vector<RuleIssue> issues;
  std::vector<std::string> teams;
  absl::flat_hash_map<std::string, int32_t> team_index;
  absl::flat_hash_map<std::string, uint64_t> tag_bits;
  std::vector<bool> rule_ok;

  void Add(RuleIssue::Severity severity, int rule, absl::string_view field, absl::string_view code,
           std::string message) {
    RuleIssue issue;
    issue.severity = severity;
    issue.where = rule >= 0 ? source.Where(rule, field) : source.WhereTop(field);
    if (rule >= 0) issue.rule_id = source.proto().rules(rule).id();
    issue.code = std::string(code);
    issue.message = std::move(message);
    issues.push_back(std::move(issue));
    if (severity == RuleIssue::Severity::kError && rule >= 0) rule_ok[rule] = false;
  }
  bool KnownTeam(const std::string& id) const {
    return options.known_teams.empty() ||
           std::find(options.known_teams.begin(), options.known_teams.end(), id) !=
               options.known_teams.end();
  }
  void Error(int rule, absl::string_view field, absl::string_view code, std::string message) {
    Add(RuleIssue::Severity::kError, rule, field, code, std::move(message));
  }

  // A mask over a small enum domain from a repeated enum field.
  template <typename Values>
  uint32_t Mask(int rule, absl::string_view field, const Values& values, uint32_t domain,
                uint32_t min_value, uint32_t* constrained, int field_bit) {
    if (values.empty()) return routing_internal::kAll;
    uint32_t mask = 0;
    for (int i = 0; i < values.size(); ++i) {
      const int v = values.Get(i);
      if (v < static_cast<int>(min_value) || v >= static_cast<int>(domain)) {
        Error(rule, absl::StrCat(field, "[", i, "]"), "out-of-domain",
              absl::StrCat(
                  field, "[", i, "] = ", v,
                  v == 0 ? " is UNSPECIFIED, which no incident carries" : " is not a known value"));
        continue;
      }
      mask |= 1u << v;
    }
    *constrained |= 1u << field_bit;
    return mask;
  }

  // An inclusive range; `lo_domain..hi_domain` are the values it may name.
  void Range(int rule, absl::string_view field, bool has, const v1::Int64Range& range,
             int64_t lo_domain, int64_t hi_domain, int64_t* lo, int64_t* hi, uint32_t* constrained,
             int field_bit) {
    if (!has) return;
    if (!range.has_min() && !range.has_max()) {
      Add(RuleIssue::Severity::kWarning, rule, field, "empty-range",
          absl::StrCat(field, " sets neither min nor max, so it matches everything; remove it"));
      return;
    }
    if (range.has_min() && range.has_max() && range.min() > range.max()) {
      Error(rule, field, "inverted-range",
            absl::StrCat(field, " is inverted: min ", range.min(), " > max ", range.max(),
                         "; nothing can match"));
      return;
    }
    for (const auto& [is_set, value, name] : {std::tuple(range.has_min(), range.min(), "min"),
                                              std::tuple(range.has_max(), range.max(), "max")}) {
      if (is_set && (value < lo_domain || value > hi_domain)) {
        Error(rule, absl::StrCat(field, ".", name), "out-of-domain",
              absl::StrCat(field, ".", name, " = ", value, " is outside ", lo_domain, "..",
                           hi_domain));
        return;
      }
    }
    if (range.has_min()) *lo = range.min();
    if (range.has_max()) *hi = range.max();
    *constrained |= 1u << field_bit;
  }

  RuleCondition Convert(int index) {
    namespace ri = routing_internal;
    const v1::Rule& rule = source.proto().rules(index);
    const v1::Condition& w = rule.when();
    RuleCondition c;
    uint32_t& k = c.constrained;
    c.kind = Mask(index, "when.kinds", w.kinds(), ri::kKindDomain, 1, &k, ri::kFieldKind);
    c.dispute = Mask(index, "when.dispute_types", w.dispute_types(), ri::kDisputeDomain, 1, &k,
                     ri::kFieldDispute);
    c.severity = Mask(index, "when.severities", w.severities(), ri::kSeverityDomain, 1, &k,
                      ri::kFieldSeverity);
    c.channel =
        Mask(index, "when.channels", w.channels(), ri::kChannelDomain, 1, &k, ri::kFieldChannel);
    c.department = Mask(index, "when.departments", w.departments(), ri::kDepartmentDomain, 1, &k,
                        ri::kFieldDepartment);
    c.weekday = Mask(index, "when.days_of_week", w.days_of_week(), ri::kWeekdayDomain, 1, &k,
                     ri::kFieldWeekday);
    Range(index, "when.amount_fen", w.has_amount_fen(), w.amount_fen(), 0,
          std::numeric_limits<int64_t>::max() - 1, &c.amount_lo, &c.amount_hi, &k,
          ri::kFieldAmount);
    Range(index, "when.party_count", w.has_party_count(), w.party_count(), 0, 1'000'000,
          &c.parties_lo, &c.parties_hi, &k, ri::kFieldParties);
    Range(index, "when.repeat_count", w.has_repeat_count(), w.repeat_count(), 0, 1'000'000,
          &c.repeats_lo, &c.repeats_hi, &k, ri::kFieldRepeats);
    int64_t hour_lo = std::numeric_limits<int64_t>::min(),
            hour_hi = std::numeric_limits<int64_t>::max();
    Range(index, "when.hour_of_day", w.has_hour_of_day(), w.hour_of_day(), 0, 23, &hour_lo,
          &hour_hi, &k, ri::kFieldHour);
    if (k & (1u << ri::kFieldHour)) {
      c.hour = 0;
      for (int64_t h = std::max<int64_t>(hour_lo, 0); h <= std::min<int64_t>(hour_hi, 23); ++h) {
        c.hour |= 1u << h;
      }
    }
    if (w.has_police_matter()) {
      c.police_care = true;
      c.police_value = w.police_matter();
      k |= 1u << ri::kFieldPolice;
    }
    if (w.has_injury()) {
      c.flags_care |= kFactInjury;
      c.flags_value |= w.injury() ? kFactInjury : 0;
      k |= 1u << ri::kFieldInjury;
    }
    if (w.has_violence_risk()) {
      c.flags_care |= kFactViolenceRisk;
      c.flags_value |= w.violence_risk() ? kFactViolenceRisk : 0;
      k |= 1u << ri::kFieldViolence;
    }
    for (int i = 0; i < w.tags_all_size(); ++i) {
      const std::string& tag = w.tags_all(i);
      auto it = tag_bits.find(tag);
      if (it == tag_bits.end()) {
        if (tag_bits.size() >= kMaxTags) {
          Error(index, absl::StrCat("when.tags_all[", i, "]"), "too-many-tags",
                absl::StrCat("tag \"", tag, "\" is the 65th distinct tag; a rule set may test 64"));
          continue;
        }
        it = tag_bits.emplace(tag, uint64_t{1} << tag_bits.size()).first;
      }
      c.tags |= it->second;
      k |= 1u << ri::kFieldTags;
    }
    for (int i = 0; i < w.area_codes_size(); ++i) {
      const int a = map.AreaIndex(w.area_codes(i));
      if (a < 0) {
        Error(index, absl::StrCat("when.area_codes[", i, "]"), "unknown-area",
              absl::StrCat("area \"", w.area_codes(i), "\" is not in grid map \"",
                           map.proto().name(), "\""));
        continue;
      }
      c.areas.push_back(a);
      k |= 1u << ri::kFieldArea;
    }
    for (int i = 0; i < w.capacity_size(); ++i) {
      const v1::CapacityTest& t = w.capacity(i);
      const std::string field = absl::StrCat("when.capacity[", i, "]");
      if (t.team_id().empty()) {
        Error(index, field, "unknown-team", "capacity test names no team_id");
        continue;
      }
      if (!KnownTeam(t.team_id())) {
        Error(index, field, "unknown-team",
              absl::StrCat("team \"", t.team_id(), "\" is not a known team"));
        continue;
      }
      if (t.min_free_slots() < 0) {
        Error(index, field, "out-of-domain", "min_free_slots is negative");
        continue;
      }
      auto [it, inserted] = team_index.emplace(t.team_id(), static_cast<int32_t>(teams.size()));
      if (inserted) teams.push_back(t.team_id());
      c.capacity.push_back({it->second, t.min_free_slots(), t.require_on_shift()});
      k |= 1u << ri::kFieldCapacity;
    }
    return c;
  }

  void CheckAction(int index) {
    const v1::Rule& rule = source.proto().rules(index);
    const v1::Action& a = rule.then();
    if (a.tier() == v1::TIER_UNSPECIFIED) {
      Error(index, rule.has_then() ? "then" : "", "bad-action", "then.tier is not set");
    }
    if (a.tier() == v1::TIER_DEPARTMENT_DIVERSION && a.department() == v1::DEPARTMENT_UNSPECIFIED) {
      Error(index, "then", "bad-action", "a DEPARTMENT_DIVERSION must name then.department");
    }
    if (!a.target_team_id().empty() && !KnownTeam(a.target_team_id())) {
      Error(index, "then.target_team_id", "unknown-team",
            absl::StrCat("team \"", a.target_team_id(), "\" is not a known team"));
    }
    const v1::Sla& sla = a.sla();
    for (const auto& [name, d] :
         {std::pair("accept", &sla.accept()), std::pair("contact", &sla.contact()),
          std::pair("on_site", &sla.on_site()), std::pair("resolve", &sla.resolve()),
          std::pair("revisit", &sla.revisit())}) {
      if (d->seconds() < 0 || d->nanos() < 0) {
        Error(index, absl::StrCat("then.sla.", name), "bad-action",
              absl::StrCat("sla.", name, " is negative"));
      }
    }
  }
};

// ---- Lint over compiled conditions ----

// Incident shapes: (kind, dispute type, department) combinations an incident can have.
struct Shape {
  uint32_t kind, dispute, department;
};
const std::vector<Shape>& Shapes() {
  static const auto* shapes = [] {
    auto* out = new std::vector<Shape>;
    for (uint32_t k = 1; k < routing_internal::kKindDomain; ++k) {
      if (k == v1::INCIDENT_KIND_DISPUTE) {
        for (uint32_t d = 1; d < routing_internal::kDisputeDomain; ++d) out->push_back({k, d, 0});
      } else if (k == v1::INCIDENT_KIND_NON_POLICE) {
        for (uint32_t d = 1; d < routing_internal::kDepartmentDomain; ++d) {
          out->push_back({k, 0, d});
        }
      } else {
        out->push_back({k, 0, 0});
      }
    }
    return out;
  }();
  return *shapes;
}

uint64_t ShapeMask(const RuleCondition& c) {
  uint64_t mask = 0;
  const auto& shapes = Shapes();
  for (size_t i = 0; i < shapes.size(); ++i) {
    const Shape& s = shapes[i];
    if (routing_internal::KindAccepted(c, s.kind) && ((c.dispute >> s.dispute) & 1u) &&
        ((c.department >> s.department) & 1u)) {
      mask |= uint64_t{1} << i;
    }
  }
  return mask;
}

// Bits of the values incidents really carry: every defined value but UNSPECIFIED (severity,
// channel, weekday), hour 0..23.
constexpr uint32_t RealValues(uint32_t domain) { return ((1u << domain) - 1) & ~1u; }
constexpr uint32_t kSeverityReal = RealValues(routing_internal::kSeverityDomain),
                   kChannelReal = RealValues(routing_internal::kChannelDomain),
                   kWeekdayReal = RealValues(routing_internal::kWeekdayDomain),
                   kHourReal = (1u << routing_internal::kHourDomain) - 1;
// One bit per incident shape in a 64-bit mask (see Shapes()).
static_assert((routing_internal::kKindDomain - 3) + (routing_internal::kDisputeDomain - 1) +
                      (routing_internal::kDepartmentDomain - 1) <=
                  64,
              "incident shapes outgrew the 64-bit shape mask");

bool AreaCovers(const std::vector<int32_t>& outer, const std::vector<int32_t>& inner,
                const GridMap& map) {
  if (outer.empty()) return true;
  if (inner.empty()) return false;
  for (int32_t a : inner) {
    bool within = false;
    for (int32_t x = a; x >= 0 && !within; x = map.ParentIndex(x)) {
      within = std::find(outer.begin(), outer.end(), x) != outer.end();
    }
    if (!within) return false;
  }
  return true;
}

bool AreasIntersect(const std::vector<int32_t>& a, const std::vector<int32_t>& b,
                    const GridMap& map) {
  if (a.empty() || b.empty()) return true;
  for (int32_t x : a) {
    for (int32_t y : b) {
      if (AreaCovers({x}, {y}, map) || AreaCovers({y}, {x}, map)) return true;
    }
  }
  return false;
}

// Whether every incident `inner` matches, `outer` matches too (capacity aside).
bool Covers(const RuleCondition& outer, uint64_t outer_shape, const RuleCondition& inner,
            uint64_t inner_shape, const GridMap& map) {
  auto sub = [](uint32_t o, uint32_t i, uint32_t real) { return ((i & real) & ~o) == 0; };
  return (inner_shape & ~outer_shape) == 0 && sub(outer.severity, inner.severity, kSeverityReal) &&
         sub(outer.channel, inner.channel, kChannelReal) &&
         sub(outer.weekday, inner.weekday, kWeekdayReal) &&
         sub(outer.hour, inner.hour, kHourReal) && outer.amount_lo <= inner.amount_lo &&
         inner.amount_hi <= outer.amount_hi && outer.parties_lo <= inner.parties_lo &&
         inner.parties_hi <= outer.parties_hi && outer.repeats_lo <= inner.repeats_lo &&
         inner.repeats_hi <= outer.repeats_hi && (outer.flags_care & ~inner.flags_care) == 0 &&
         ((outer.flags_value ^ inner.flags_value) & outer.flags_care) == 0 &&
         (outer.tags & ~inner.tags) == 0 && AreaCovers(outer.areas, inner.areas, map);
}

// Whether some incident matches both.
bool Overlaps(const RuleCondition& a, uint64_t a_shape, const RuleCondition& b, uint64_t b_shape,
              const GridMap& map) {
  return (a_shape & b_shape) != 0 && (a.severity & b.severity & kSeverityReal) != 0 &&
         (a.channel & b.channel & kChannelReal) != 0 &&
         (a.weekday & b.weekday & kWeekdayReal) != 0 && (a.hour & b.hour & kHourReal) != 0 &&
         std::max(a.amount_lo, b.amount_lo) <= std::min(a.amount_hi, b.amount_hi) &&
         std::max(a.parties_lo, b.parties_lo) <= std::min(a.parties_hi, b.parties_hi) &&
         std::max(a.repeats_lo, b.repeats_lo) <= std::min(a.repeats_hi, b.repeats_hi) &&
         ((a.flags_value ^ b.flags_value) & a.flags_care & b.flags_care) == 0 &&
         AreasIntersect(a.areas, b.areas, map);
}

std::string ShapeName(const Shape& s) {
  if (s.kind == v1::INCIDENT_KIND_DISPUTE) {
    return absl::StrCat("dispute ", DisputeTypeName(static_cast<v1::DisputeType>(s.dispute)));
  }
  if (s.kind == v1::INCIDENT_KIND_NON_POLICE) {
    return absl::StrCat("non-police ", DepartmentName(static_cast<v1::Department>(s.department)));
  }
  return std::string(IncidentKindName(static_cast<v1::IncidentKind>(s.kind)));
}

void Lint(Compiler& compiler, const std::vector<RuleCondition>& rules,
          const std::vector<int32_t>& hit_order, v1::HitPolicy policy) {
  namespace ri = routing_internal;
  const GridMap& map = compiler.map;
  const v1::RuleSet& proto = compiler.source.proto();
  std::vector<uint64_t> shapes(rules.size());
  for (size_t i = 0; i < rules.size(); ++i) shapes[i] = ShapeMask(rules[i]);

  // Rules that can never fire under FIRST / PRIORITY.
  if (policy == v1::HIT_POLICY_FIRST || policy == v1::HIT_POLICY_PRIORITY) {
    for (size_t jp = 0; jp < hit_order.size(); ++jp) {
      const int j = hit_order[jp];
      if (!compiler.rule_ok[j]) continue;
      for (size_t ip = 0; ip < jp; ++ip) {
        const int i = hit_order[ip];
        if (!compiler.rule_ok[i] || !rules[i].capacity.empty()) continue;
        if (Covers(rules[i], shapes[i], rules[j], shapes[j], map)) {
          compiler.Error(j, "", "shadowed",
                         absl::StrCat("can never fire: rule \"", proto.rules(i).id(), "\" (",
                                      compiler.source.Where(i),
                                      ") comes first and matches every "
                                      "incident this rule matches"));
          break;
        }
      }
    }
  }
  // Overlaps under UNIQUE.
  if (policy == v1::HIT_POLICY_UNIQUE) {
    int reported = 0;
    for (size_t j = 0; j < rules.size() && reported < 100; ++j) {
      for (size_t i = 0; i < j && reported < 100; ++i) {
        if (!compiler.rule_ok[i] || !compiler.rule_ok[j]) continue;
        if (Overlaps(rules[i], shapes[i], rules[j], shapes[j], map)) {
          compiler.Error(static_cast<int>(j), "", "overlap",
                         absl::StrCat("overlaps rule \"", proto.rules(i).id(), "\" (",
                                      compiler.source.Where(static_cast<int>(i)),
                                      "): under UNIQUE an incident may match only one rule"));
          ++reported;
        }
      }
    }
  }
  // Gaps: incident shapes no rule catches, when there is no catch-all.
  constexpr uint32_t kShapeFields = (1u << ri::kFieldPolice) | (1u << ri::kFieldKind) |
                                    (1u << ri::kFieldDispute) | (1u << ri::kFieldDepartment) |
                                    (1u << ri::kFieldSeverity) | (1u << ri::kFieldChannel);
  std::vector<int> catchers;
  for (size_t i = 0; i < rules.size(); ++i) {
    if (!compiler.rule_ok[i]) continue;
    if (rules[i].constrained == 0) return;  // a default rule catches everything
    if ((rules[i].constrained & ~kShapeFields) == 0) catchers.push_back(static_cast<int>(i));
  }
  int reported = 0;
  const auto& all_shapes = Shapes();
  for (size_t s = 0; s < all_shapes.size() && reported < compiler.options.max_gap_reports; ++s) {
    int missing = 0;
    std::string example;
    for (uint32_t sev = 1; sev < ri::kSeverityDomain; ++sev) {
      for (uint32_t ch = 1; ch < ri::kChannelDomain; ++ch) {
        bool caught = false;
        for (int i : catchers) {
          if (((shapes[i] >> s) & 1) && ((rules[i].severity >> sev) & 1u) &&
              ((rules[i].channel >> ch) & 1u)) {
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
                   absl::StrCat("no rule is sure to catch ", ShapeName(all_shapes[s]),
                                " incidents (", missing, " of 24 severity x channel shapes, e.g. ",
                                example, "); add a default rule"));
      ++reported;
    }
  }
}

// "file:line:col" as (file, line, col) so that line 4 sorts before line 21.
std::tuple<std::string, int, int> SortKey(const std::string& where) {
  const size_t c2 = where.rfind(':');
  const size_t c1 =
      c2 == std::string::npos || c2 == 0 ? std::string::npos : where.rfind(':', c2 - 1);
  int line = 0, col = 0;
  if (c1 != std::string::npos && absl::SimpleAtoi(where.substr(c1 + 1, c2 - c1 - 1), &line) &&
      absl::SimpleAtoi(where.substr(c2 + 1), &col)) {
    return {where.substr(0, c1), line, col};
  }
  return {where, 0, 0};
}

struct CompileOutput {
  std::vector<RuleIssue> issues;
  std::unique_ptr<CompiledRules> compiled;
  std::vector<std::string> teams;
  absl::flat_hash_map<std::string, uint64_t> tag_bits;
  v1::HitPolicy policy;
};

CompileOutput RunCompiler(const RuleSetSource& source, const GridMap& map,
                          const RuleSetOptions& options) {
  Compiler compiler{source, map, options, {}, {}, {}, {}, {}};
  const v1::RuleSet& proto = source.proto();
  const int n = proto.rules_size();
  compiler.rule_ok.assign(n, true);
  CompileOutput out;
  out.policy =
      proto.hit_policy() == v1::HIT_POLICY_UNSPECIFIED ? v1::HIT_POLICY_FIRST : proto.hit_policy();
  if (n == 0) compiler.Error(-1, "rules", "empty", "the rule set has no rules");
  absl::flat_hash_map<std::string, int> ids;
  auto compiled = std::make_unique<CompiledRules>();
  for (int i = 0; i < n; ++i) {
    const v1::Rule& rule = proto.rules(i);
    if (rule.id().empty()) {
      compiler.Error(i, "", "missing-id", "rule has no id");
    } else if (auto [it, inserted] = ids.emplace(rule.id(), i); !inserted) {
      compiler.Error(i, "id", "duplicate-id",
                     absl::StrCat("duplicate rule id \"", rule.id(), "\" (first at ",
                                  source.Where(it->second, "id"), ")"));
    }
    compiled->rules.push_back(compiler.Convert(i));
    compiler.CheckAction(i);
    if (rule.is_default() && compiled->rules.back().constrained != 0) {
      compiler.Error(i, "when", "bad-default", "a default rule must have no conditions");
    }
  }
  compiled->hit_order.resize(n);
  for (int i = 0; i < n; ++i) compiled->hit_order[i] = i;
  if (out.policy == v1::HIT_POLICY_PRIORITY) {
    std::stable_sort(compiled->hit_order.begin(), compiled->hit_order.end(), [&](int a, int b) {
      return proto.rules(a).priority() > proto.rules(b).priority();
    });
  }
  Lint(compiler, compiled->rules, compiled->hit_order, out.policy);
  // File order of findings, errors and warnings interleaved as a compiler prints them.
  std::stable_sort(
      compiler.issues.begin(), compiler.issues.end(),
      [](const RuleIssue& a, const RuleIssue& b) { return SortKey(a.where) < SortKey(b.where); });
  out.issues = std::move(compiler.issues);
  out.teams = std::move(compiler.teams);
  out.tag_bits = std::move(compiler.tag_bits);
  out.compiled = std::move(compiled);
  return out;
}

// FNV-1a 64: stable across processes and builds (absl::Hash is seeded per process).
std::string ContentHash(const v1::RuleSet& proto) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    proto.SerializeToCodedStream(&coded);
  }
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char hex[17];
  for (int i = 15; i >= 0; --i) {
    hex[i] = "0123456789abcdef"[h & 15];
    h >>= 4;
  }
  hex[16] = '\0';
  return hex;
}

}  // namespace

std::string RuleIssue::ToString() const {
  return absl::StrCat(where, ": ", severity == Severity::kError ? "error" : "warning", ": ",
                      rule_id.empty() ? "" : absl::StrCat("rule \"", rule_id, "\": "), message,
                      " [", code, "]");
}

RuleSet::RuleSet() = default;
RuleSet::~RuleSet() = default;

std::vector<RuleIssue> RuleSet::Lint(const RuleSetSource& source, const GridMap& grid_map,
                                     const RuleSetOptions& options) {
  return RunCompiler(source, grid_map, options).issues;
}

absl::StatusOr<std::shared_ptr<const RuleSet>> RuleSet::Compile(const RuleSetSource& source,
                                                                const GridMap& grid_map,
                                                                const RuleSetOptions& options) {
  // A rule set built in code (FromProto) gets the checks a parsed file gets: enum numbers the
  // protos define (tier 99 and department 1000 are refused), UTF-8 strings.
  FENGQIAO_RETURN_IF_ERROR(internal::CheckFields(
      source.proto(), internal::SourceMap(source.files().empty() ? "" : source.files()[0])));
  CompileOutput out = RunCompiler(source, grid_map, options);
  std::vector<std::string> errors;
  std::shared_ptr<RuleSet> rule_set(new RuleSet());
  for (RuleIssue& issue : out.issues) {
    if (issue.severity == RuleIssue::Severity::kError) {
      errors.push_back(issue.ToString());
    } else {
      rule_set->warnings_.push_back(std::move(issue));
    }
  }
  if (!errors.empty()) return absl::InvalidArgumentError(absl::StrJoin(errors, "\n"));
  rule_set->proto_ = source.proto();
  rule_set->proto_.set_hit_policy(out.policy);
  rule_set->proto_.clear_inherits();
  rule_set->hash_ = ContentHash(rule_set->proto_);
  rule_set->grid_map_ = &grid_map;
  rule_set->options_ = options;
  rule_set->teams_ = std::move(out.teams);
  rule_set->tag_bits_ = std::move(out.tag_bits);
  routing_internal::BuildIndex(grid_map, out.compiled.get());
  rule_set->compiled_ = std::move(out.compiled);
  return std::shared_ptr<const RuleSet>(std::move(rule_set));
}

uint64_t RuleSet::TagBit(absl::string_view tag) const {
  auto it = tag_bits_.find(tag);
  return it == tag_bits_.end() ? 0 : it->second;
}

std::vector<CapacityState> RuleSet::ResolveCapacity(const CapacitySnapshot& snapshot) const {
  std::vector<CapacityState> out(teams_.size());
  for (size_t i = 0; i < teams_.size(); ++i) {
    auto it = snapshot.find(teams_[i]);
    if (it != snapshot.end()) {
      out[i] = it->second;
      out[i].known = true;
    }
  }
  return out;
}

namespace {

inline const Partition& PartitionFor(const CompiledRules& c, int32_t area) {
  const int32_t p = (area >= 0 && static_cast<size_t>(area) < c.partition_of_area.size())
                        ? c.partition_of_area[area]
                        : c.unknown_area_partition;
  return c.partitions[p];
}

// Walks the candidate bits in hit order, applying capacity tests and the hit policy.
inline RouteResult Resolve(const CompiledRules& c, const Partition& p, const uint64_t* acc,
                           bool unique, absl::Span<const CapacityState> capacity,
                           std::vector<int32_t>* skipped) {
  RouteResult r;
  for (int w = 0; w < p.words; ++w) {
    uint64_t bits = acc[w];
    while (bits != 0) {
      const int b = __builtin_ctzll(bits);
      bits &= bits - 1;
      const int32_t global = p.rules[w * 64 + b];
      if (p.has_capacity && ((p.with_capacity[w] >> b) & 1) &&
          !routing_internal::CapacityPasses(c.rules[global], capacity, nullptr)) {
        ++r.capacity_skips;
        if (skipped != nullptr) skipped->push_back(global);
        continue;
      }
      if (!unique) {
        r.rule = global;
        return r;
      }
      if (r.rule >= 0) {
        r.rule = -1;
        r.ambiguous = true;
        return r;
      }
      r.rule = global;
    }
  }
  return r;
}

inline RouteResult RouteOne(const CompiledRules& c, bool unique, const RoutingFacts& f,
                            absl::Span<const CapacityState> capacity,
                            std::vector<int32_t>* skipped) {
  const Partition& p = PartitionFor(c, f.area);
  if (p.words == 1) {
    uint64_t acc;
    routing_internal::Candidates(p, f, &acc);
    if (acc == 0) return RouteResult{};
    // Fast path: the first candidate needs no capacity test and no uniqueness check.
    const int b = __builtin_ctzll(acc);
    if (!unique && !((p.with_capacity[0] >> b) & 1)) {
      return RouteResult{p.rules[b], 0, false};
    }
    return Resolve(c, p, &acc, unique, capacity, skipped);
  }
  uint64_t small[8];
  std::vector<uint64_t> large;
  uint64_t* acc = small;
  if (p.words > 8) {
    large.resize(p.words);
    acc = large.data();
  }
  routing_internal::Candidates(p, f, acc);
  return Resolve(c, p, acc, unique, capacity, skipped);
}

}  // namespace

RouteResult RuleSet::Route(const RoutingFacts& facts, absl::Span<const CapacityState> capacity,
                           std::vector<int32_t>* capacity_skipped) const {
  return RouteOne(*compiled_, proto_.hit_policy() == v1::HIT_POLICY_UNIQUE, facts, capacity,
                  capacity_skipped);
}

void RuleSet::RouteBatch(absl::Span<const RoutingFacts> facts, absl::Span<RouteResult> out,
                         absl::Span<const CapacityState> capacity) const {
  const bool unique = proto_.hit_policy() == v1::HIT_POLICY_UNIQUE;
  const CompiledRules& c = *compiled_;
  const size_t n = std::min(facts.size(), out.size());
  for (size_t i = 0; i < n; ++i) {
    out[i] = RouteOne(c, unique, facts[i], capacity, nullptr);
  }
}

absl::Status RuleSet::RouteColumns(const RoutingColumns& columns, absl::Span<int32_t> rule_out,
                                   absl::Span<const CapacityState> capacity) const {
  const size_t n = columns.area.size();
  if (rule_out.size() != n) {
    return absl::InvalidArgumentError(
        absl::StrCat("RouteColumns: rule_out has ", rule_out.size(), " rows, area has ", n));
  }
  FENGQIAO_RETURN_IF_ERROR(internal::CheckColumns("RouteColumns", "area", n,
                                                  {{"kind", columns.kind.size()},
                                                   {"dispute_type", columns.dispute_type.size()},
                                                   {"severity", columns.severity.size()},
                                                   {"channel", columns.channel.size()},
                                                   {"department", columns.department.size()},
                                                   {"amount_fen", columns.amount_fen.size()},
                                                   {"party_count", columns.party_count.size()},
                                                   {"repeat_count", columns.repeat_count.size()},
                                                   {"hour", columns.hour.size()},
                                                   {"weekday", columns.weekday.size()},
                                                   {"flags", columns.flags.size()},
                                                   {"tags", columns.tags.size()}}));
  const bool unique = proto_.hit_policy() == v1::HIT_POLICY_UNIQUE;
  const CompiledRules& c = *compiled_;
  auto at = [](const auto& span, size_t i) {
    return span.empty() ? typename std::decay_t<decltype(span)>::value_type{} : span[i];
  };
  for (size_t i = 0; i < n; ++i) {
    RoutingFacts f;
    f.area = columns.area[i];
    f.kind = at(columns.kind, i);
    f.dispute_type = at(columns.dispute_type, i);
    f.severity = at(columns.severity, i);
    f.channel = at(columns.channel, i);
    f.department = at(columns.department, i);
    f.amount_fen = at(columns.amount_fen, i);
    f.party_count = at(columns.party_count, i);
    f.repeat_count = at(columns.repeat_count, i);
    f.hour = at(columns.hour, i);
    f.weekday = at(columns.weekday, i);
    f.flags = at(columns.flags, i);
    f.tags = at(columns.tags, i);
    rule_out[i] = RouteOne(c, unique, f, capacity, nullptr).rule;
  }
  return absl::OkStatus();
}

std::vector<int32_t> RuleSet::Collect(const RoutingFacts& facts,
                                      absl::Span<const CapacityState> capacity) const {
  const CompiledRules& c = *compiled_;
  const Partition& p = PartitionFor(c, facts.area);
  std::vector<uint64_t> acc(p.words);
  routing_internal::Candidates(p, facts, acc.data());
  std::vector<int32_t> out;
  for (int w = 0; w < p.words; ++w) {
    for (uint64_t bits = acc[w]; bits != 0; bits &= bits - 1) {
      const int b = __builtin_ctzll(bits);
      const int32_t global = p.rules[w * 64 + b];
      if (((p.with_capacity[w] >> b) & 1) &&
          !routing_internal::CapacityPasses(c.rules[global], capacity, nullptr)) {
        continue;
      }
      out.push_back(global);
    }
  }
  return out;
}

v1::Decision RuleSet::Decide(const RoutingFacts& facts, absl::string_view incident_id,
                             absl::Span<const CapacityState> capacity) const {
  v1::Decision d;
  d.set_incident_id(std::string(incident_id));
  d.set_rule_set_version(proto_.version());
  d.set_rule_set_hash(hash_);
  std::vector<int32_t> skipped;
  const RouteResult r = Route(facts, capacity, &skipped);
  for (int32_t s : skipped) {
    int team = -1;
    routing_internal::CapacityPasses(compiled_->rules[s], capacity, &team);
    d.add_capacity_diversions(
        absl::StrCat(proto_.rules(s).id(), ":", team >= 0 ? teams_[team] : std::string()));
  }
  if (proto_.hit_policy() == v1::HIT_POLICY_COLLECT || r.ambiguous) {
    for (int32_t g : Collect(facts, capacity)) d.add_all_rule_ids(proto_.rules(g).id());
  }
  d.set_ambiguous(r.ambiguous);
  if (r.rule >= 0) {
    const v1::Rule& rule = proto_.rules(r.rule);
    d.set_rule_id(rule.id());
    *d.mutable_action() = rule.then();
    const uint32_t constrained = compiled_->rules[r.rule].constrained;
    for (int f = 0; f < routing_internal::kNumFields; ++f) {
      if ((constrained >> f) & 1u) d.add_matched_conditions(routing_internal::FieldName(f));
    }
  }
  return d;
}

v1::Explanation RuleSet::Explain(const RoutingFacts& facts, absl::string_view incident_id,
                                 absl::Span<const CapacityState> capacity) const {
  v1::Explanation e;
  *e.mutable_decision() = Decide(facts, incident_id, capacity);
  const bool stop_at_first =
      proto_.hit_policy() == v1::HIT_POLICY_FIRST || proto_.hit_policy() == v1::HIT_POLICY_PRIORITY;
  // The rules that can apply in the incident's area, in hit order: its partition.
  const Partition& p = PartitionFor(*compiled_, facts.area);
  e.set_rules_outside_area(static_cast<int32_t>(compiled_->rules.size() - p.rules.size()));
  for (int32_t g : p.rules) {
    int team = -1;
    const int failed =
        routing_internal::FirstFailure(compiled_->rules[g], facts, *grid_map_, capacity, &team);
    v1::RuleTrace* trace = e.add_rules();
    trace->set_rule_id(proto_.rules(g).id());
    trace->set_matched(failed == routing_internal::kNumFields);
    if (!trace->matched()) {
      trace->mutable_first_failure()->set_field(routing_internal::FieldName(failed));
      if (failed == routing_internal::kFieldCapacity && team >= 0) {
        trace->mutable_first_failure()->set_capacity_team_id(teams_[team]);
      }
    } else if (stop_at_first) {
      break;
    }
  }
  return e;
}

absl::StatusOr<RoutingFacts> MakeRoutingFacts(const v1::Incident& incident, int repeat_count,
                                              const RuleSet& rule_set) {
  if (!incident.has_reported_at()) {
    return absl::InvalidArgumentError(
        absl::StrCat("incident \"", incident.id(), "\": reported_at: is not set"));
  }
  if (repeat_count < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "incident \"", incident.id(), "\": repeat_count ", repeat_count, " is negative"));
  }
  const Classification c = Classify(incident, repeat_count);
  RoutingFacts f;
  f.area = rule_set.grid_map().AreaIndex(incident.grid_code());
  f.kind = internal::SmallEnum(incident.kind());
  f.dispute_type = incident.kind() == v1::INCIDENT_KIND_DISPUTE
                       ? internal::SmallEnum(incident.dispute_type())
                       : 0;
  f.department = incident.kind() == v1::INCIDENT_KIND_NON_POLICE
                     ? internal::SmallEnum(incident.responsible_department())
                     : 0;
  f.severity = internal::SmallEnum(c.severity);
  f.channel = internal::SmallEnum(incident.channel());
  f.amount_fen = incident.amount_fen();
  f.party_count = incident.parties_size();
  f.repeat_count = repeat_count;
  const absl::CivilSecond local =
      absl::ToCivilSecond(internal::ToTime(incident.reported_at()), rule_set.options().time_zone);
  f.hour = static_cast<uint8_t>(local.hour());
  f.weekday = static_cast<uint8_t>(internal::IsoWeekday(absl::CivilDay(local)));
  f.flags =
      (incident.injury() ? kFactInjury : 0) | (incident.violence_risk() ? kFactViolenceRisk : 0);
  for (const std::string& tag : incident.tags()) f.tags |= rule_set.TagBit(tag);
  return f;
}

absl::string_view TierName(v1::Tier tier) { return DisplayName(tier); }

}  // namespace fengqiao
