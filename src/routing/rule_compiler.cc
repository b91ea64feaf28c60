// Compiling a rule set: every rule checked and converted (Compiler), the lint (rule_lint.cc), the
// index (compiled_rules.cc); the RuleSet keeps the result.
#include "routing/internal/rule_compiler.h"

#include <algorithm>
#include <limits>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "fengqiao/routing/rule_set.h"
#include "fengqiao/status_macros.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "internal/digest.h"
#include "internal/proto_files.h"
#include "routing/internal/hit_policy.h"

namespace fengqiao {
namespace routing_internal {

namespace {
constexpr int kMaxTags = 64;
}  // namespace

Compiler::Compiler(const RuleSetSource& source, const GridMap& map, const RuleSetOptions& options)
    : source(source), map(map), options(options), rule_ok(source.proto().rules_size(), true) {}

void Compiler::Add(RuleIssue::Severity severity, int rule, absl::string_view field,
                   absl::string_view code, std::string message) {
  RuleIssue issue;
  issue.severity = severity;
  issue.where = rule >= 0 ? source.Where(rule, field) : source.WhereTop(field);
  if (rule >= 0) issue.rule_id = source.proto().rules(rule).id();
  issue.code = std::string(code);
  issue.message = std::move(message);
  issues.push_back(std::move(issue));
  if (severity == RuleIssue::Severity::kError && rule >= 0) rule_ok[rule] = false;
}

void Compiler::Error(int rule, absl::string_view field, absl::string_view code,
                     std::string message) {
  Add(RuleIssue::Severity::kError, rule, field, code, std::move(message));
}

bool Compiler::KnownTeam(const std::string& id) const {
  return options.known_teams.empty() ||
         std::find(options.known_teams.begin(), options.known_teams.end(), id) !=
             options.known_teams.end();
}

// A mask over a small enum domain from a repeated enum field; UNSPECIFIED (0) may not be named.
template <typename Values>
uint32_t Compiler::Mask(int rule, absl::string_view field, const Values& values, uint32_t domain,
                        uint32_t* constrained, int field_bit) {
  if (values.empty()) return kAll;
  uint32_t mask = 0;
  for (int i = 0; i < values.size(); ++i) {
    const int v = values.Get(i);
    if (v < 1 || v >= static_cast<int>(domain)) {
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
void Compiler::Range(int rule, absl::string_view field, bool has, const v1::Int64Range& range,
                     int64_t lo_domain, int64_t hi_domain, int64_t* lo, int64_t* hi,
                     uint32_t* constrained, int field_bit) {
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
      Error(
          rule, absl::StrCat(field, ".", name), "out-of-domain",
          absl::StrCat(field, ".", name, " = ", value, " is outside ", lo_domain, "..", hi_domain));
      return;
    }
  }
  if (range.has_min()) *lo = range.min();
  if (range.has_max()) *hi = range.max();
  *constrained |= 1u << field_bit;
}

RuleCondition Compiler::Convert(int index) {
  const v1::Rule& rule = source.proto().rules(index);
  const v1::Condition& w = rule.when();
  RuleCondition c;
  uint32_t& k = c.constrained;
  c.kind = Mask(index, "when.kinds", w.kinds(), kKindDomain, &k, kFieldKind);
  c.dispute =
      Mask(index, "when.dispute_types", w.dispute_types(), kDisputeDomain, &k, kFieldDispute);
  c.severity = Mask(index, "when.severities", w.severities(), kSeverityDomain, &k, kFieldSeverity);
  c.channel = Mask(index, "when.channels", w.channels(), kChannelDomain, &k, kFieldChannel);
  c.department =
      Mask(index, "when.departments", w.departments(), kDepartmentDomain, &k, kFieldDepartment);
  c.weekday = Mask(index, "when.days_of_week", w.days_of_week(), kWeekdayDomain, &k, kFieldWeekday);
  Range(index, "when.amount_fen", w.has_amount_fen(), w.amount_fen(), 0,
        std::numeric_limits<int64_t>::max() - 1, &c.amount_lo, &c.amount_hi, &k, kFieldAmount);
  Range(index, "when.party_count", w.has_party_count(), w.party_count(), 0, 1'000'000,
        &c.parties_lo, &c.parties_hi, &k, kFieldParties);
  Range(index, "when.repeat_count", w.has_repeat_count(), w.repeat_count(), 0, 1'000'000,
        &c.repeats_lo, &c.repeats_hi, &k, kFieldRepeats);
  int64_t hour_lo = std::numeric_limits<int64_t>::min(),
          hour_hi = std::numeric_limits<int64_t>::max();
  Range(index, "when.hour_of_day", w.has_hour_of_day(), w.hour_of_day(), 0, kHourDomain - 1,
        &hour_lo, &hour_hi, &k, kFieldHour);
  if (k & (1u << kFieldHour)) {
    c.hour = 0;
    for (int64_t h = std::max<int64_t>(hour_lo, 0);
         h <= std::min<int64_t>(hour_hi, kHourDomain - 1); ++h) {
      c.hour |= 1u << h;
    }
  }
  if (w.has_police_matter()) {
    c.police_care = true;
    c.police_value = w.police_matter();
    c.flags_care |= kFactNonPolice;
    c.flags_value |= w.police_matter() ? 0 : kFactNonPolice;
    k |= 1u << kFieldPolice;
  }
  if (w.has_injury()) {
    c.flags_care |= kFactInjury;
    c.flags_value |= w.injury() ? kFactInjury : 0;
    k |= 1u << kFieldInjury;
  }
  if (w.has_violence_risk()) {
    c.flags_care |= kFactViolenceRisk;
    c.flags_value |= w.violence_risk() ? kFactViolenceRisk : 0;
    k |= 1u << kFieldViolence;
  }
  for (int i = 0; i < w.tags_all_size(); ++i) {
    const std::string& tag = w.tags_all(i);
    auto it = tag_bits.find(tag);
    if (it == tag_bits.end()) {
      if (tag_bits.size() >= kMaxTags) {
        Error(index, absl::StrCat("when.tags_all[", i, "]"), "too-many-tags",
              absl::StrCat("tag \"", tag, "\" is the ", kMaxTags + 1,
                           "th distinct tag; a rule set may test ", kMaxTags));
        continue;
      }
      it = tag_bits.emplace(tag, uint64_t{1} << tag_bits.size()).first;
    }
    c.tags |= it->second;
    k |= 1u << kFieldTags;
  }
  for (int i = 0; i < w.area_codes_size(); ++i) {
    const int a = map.AreaIndex(w.area_codes(i));
    if (a < 0) {
      Error(index, absl::StrCat("when.area_codes[", i, "]"), "unknown-area",
            absl::StrCat("area \"", w.area_codes(i), "\" is not in grid map \"", map.proto().name(),
                         "\""));
      continue;
    }
    c.areas.push_back(a);
    k |= 1u << kFieldArea;
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
    k |= 1u << kFieldCapacity;
  }
  return c;
}

void Compiler::CheckAction(int index) {
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
  for (const auto& [name, days] : {std::pair("resolve_working_days", sla.resolve_working_days()),
                                   std::pair("revisit_working_days", sla.revisit_working_days())}) {
    if (days < 0 || days > 366) {
      Error(index, absl::StrCat("then.sla.", name), "bad-action",
            absl::StrCat("sla.", name, " ", days, " is outside 0..366 working days"));
    }
  }
}

}  // namespace routing_internal

namespace {

using routing_internal::CompiledRules;
using routing_internal::Compiler;

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
};

CompileOutput RunCompiler(const RuleSetSource& source, const GridMap& map,
                          const RuleSetOptions& options) {
  Compiler compiler(source, map, options);
  const v1::RuleSet& proto = source.proto();
  const int n = proto.rules_size();
  auto compiled = std::make_unique<CompiledRules>();
  compiled->policy = routing_internal::HitPolicy::Of(proto.hit_policy());
  if (n == 0) compiler.Error(-1, "rules", "empty", "the rule set has no rules");
  absl::flat_hash_map<std::string, int> ids;
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
  if (compiled->policy.orders_by_priority()) {
    std::stable_sort(compiled->hit_order.begin(), compiled->hit_order.end(), [&](int a, int b) {
      return proto.rules(a).priority() > proto.rules(b).priority();
    });
  }
  routing_internal::Lint(compiler, *compiled);
  // File order of findings, errors and warnings interleaved as a compiler prints them.
  std::stable_sort(
      compiler.issues.begin(), compiler.issues.end(),
      [](const RuleIssue& a, const RuleIssue& b) { return SortKey(a.where) < SortKey(b.where); });
  CompileOutput out;
  out.issues = std::move(compiler.issues);
  out.teams = std::move(compiler.teams);
  out.tag_bits = std::move(compiler.tag_bits);
  out.compiled = std::move(compiled);
  return out;
}

// Stable across processes and builds. The offset basis is one digit short of FNV's
// (1469598103934665603, not 14695981039346656037) since the first release: kept, so the hashes
// recorded in decisions and cases stay the hashes of their rule sets.
uint64_t ContentHash(const v1::RuleSet& proto) {
  return internal::MessageDigest(proto, 1469598103934665603ULL);
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

absl::StatusOr<std::shared_ptr<const RuleSet>> RuleSet::Compile(
    const RuleSetSource& source, std::shared_ptr<const GridMap> grid_map,
    const RuleSetOptions& options) {
  if (grid_map == nullptr) {
    return absl::InvalidArgumentError("RuleSet::Compile: grid_map is null");
  }
  // A rule set built in code (FromProto) gets the checks a parsed file gets: enum numbers the
  // protos define (tier 99 and department 1000 are refused), UTF-8 strings.
  FENGQIAO_RETURN_IF_ERROR(internal::CheckFields(
      source.proto(), internal::SourceMap(source.files().empty() ? "" : source.files()[0])));
  CompileOutput out = RunCompiler(source, *grid_map, options);
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
  rule_set->proto_.set_hit_policy(out.compiled->policy.value());
  rule_set->proto_.clear_inherits();
  rule_set->hash_value_ = ContentHash(rule_set->proto_);
  rule_set->hash_ = absl::StrCat(absl::Hex(rule_set->hash_value_, absl::kZeroPad16));
  // Distinct actions, so a compact decision names its action by a small index.
  absl::flat_hash_map<std::string, int32_t> action_index;
  for (const v1::Rule& rule : rule_set->proto_.rules()) {
    std::string key;
    {
      google::protobuf::io::StringOutputStream stream(&key);
      google::protobuf::io::CodedOutputStream coded(&stream);
      coded.SetSerializationDeterministic(true);
      rule.then().SerializeToCodedStream(&coded);
    }
    auto [it, inserted] =
        action_index.emplace(std::move(key), static_cast<int32_t>(rule_set->actions_.size()));
    if (inserted) rule_set->actions_.push_back(rule.then());
    rule_set->action_of_rule_.push_back(it->second);
  }
  rule_set->options_ = options;
  rule_set->teams_ = std::move(out.teams);
  rule_set->tag_bits_ = std::move(out.tag_bits);
  routing_internal::BuildIndex(*grid_map, out.compiled.get());
  routing_internal::EncodeDecisionFragments(rule_set->proto_, rule_set->hash_,
                                            options.catalogue.get(), out.compiled.get());
  rule_set->compiled_ = std::move(out.compiled);
  rule_set->grid_map_ = std::move(grid_map);
  return std::shared_ptr<const RuleSet>(std::move(rule_set));
}

}  // namespace fengqiao
