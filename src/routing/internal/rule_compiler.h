// Internal: the stages of compiling a rule set. The compiler (rule_compiler.cc) checks every rule
// and converts its conditions into a RuleCondition; the lint (rule_lint.cc) reasons over the
// converted rules; the index (compiled_rules.cc) builds the partitions the hot path reads
// (decision.cc). Findings carry file:line:col and land in Compiler::issues.
#ifndef FENGQIAO_SRC_ROUTING_INTERNAL_RULE_COMPILER_H_
#define FENGQIAO_SRC_ROUTING_INTERNAL_RULE_COMPILER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/routing/rule_set.h"
#include "fengqiao/routing/rule_source.h"
#include "routing/internal/compiled_rules.h"

namespace fengqiao::routing_internal {

// The state of one compile: findings, interned teams and tags, which rules are still sound.
struct Compiler {
  const RuleSetSource& source;
  const GridMap& map;
  const RuleSetOptions& options;
  std::vector<RuleIssue> issues;
  std::vector<std::string> teams;
  absl::flat_hash_map<std::string, int32_t> team_index;
  absl::flat_hash_map<std::string, uint64_t> tag_bits;
  // False once a rule has an error: later checks leave it out.
  std::vector<bool> rule_ok;

  Compiler(const RuleSetSource& source, const GridMap& map, const RuleSetOptions& options);

  // A finding about rule `rule` (-1: the rule set) at `field` (empty: the rule itself).
  void Add(RuleIssue::Severity severity, int rule, absl::string_view field, absl::string_view code,
           std::string message);
  void Error(int rule, absl::string_view field, absl::string_view code, std::string message);
  bool KnownTeam(const std::string& id) const;

  // The rule's conditions as masks and ranges; errors for values outside their domain.
  RuleCondition Convert(int index);
  // Errors for an action that cannot be carried out (no tier, diversion without department...).
  void CheckAction(int index);

 private:
  template <typename Values>
  uint32_t Mask(int rule, absl::string_view field, const Values& values, uint32_t domain,
                uint32_t* constrained, int field_bit);
  void Range(int rule, absl::string_view field, bool has, const v1::Int64Range& range,
             int64_t lo_domain, int64_t hi_domain, int64_t* lo, int64_t* hi, uint32_t* constrained,
             int field_bit);
};

// The lint over converted rules (compiled.rules, compiled.hit_order, compiled.policy): rules that
// can match no incident at all ("never-matches"), rules an earlier one covers under FIRST and
// PRIORITY ("shadowed"), rules that can match the same incident under UNIQUE ("overlap"), and
// incident categories no rule is sure to catch ("gap", a warning). Exact over the facts routing
// sees: every value of every field (an enum number a rule does not list, an hour of 30, a
// dispute type on a non-dispute incident), not only the combinations a validated incident has.
void Lint(Compiler& compiler, const CompiledRules& compiled);

}  // namespace fengqiao::routing_internal

#endif  // FENGQIAO_SRC_ROUTING_INTERNAL_RULE_COMPILER_H_
