// File: fengqiao/interop/rule_table.h
// Routing rule tables out to and in from the decision-table formats the rule writers' editors
// use: a GoRules JSON Decision Model (JDM: one decisionTableNode) and a DMN 1.3 decision table
// (XML, FEEL unary tests). One row per rule, one input column per routing fact, the action as
// the outputs; the columns and the hit-policy mapping are in docs/interop.md.
// - ExportRuleTable(rules, format): the compiled, merged rule set as a table.
// - ImportRuleTable(text, format, filename): such a table back as a v1::RuleSet (compile it to
//  check it against a grid map); a table that says more than the routing facts can hold is
//  refused with file:line:col, the row, the column and the expression.
// - RuleTableInput(rules, facts, capacity): the input object the exported tables read for one
//  incident, including the columns the engines cannot compute (area path, tags, capacity).
// Export, import and compile give the rule set back with the same hash().
//
//   #include "fengqiao/routing/rule_set.h"
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::GridMap> grid_map,
//                             fengqiao::GridMap::Load("examples/data/grid_map.textproto"));
//   FENGQIAO_ASSIGN_OR_RETURN(
//       fengqiao::RuleSetSource source,
//       fengqiao::RuleSetSource::Load("examples/data/rules/district.textproto"));
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::RuleSet> rules,
//                             fengqiao::RuleSet::Compile(source, grid_map));
//   FENGQIAO_ASSIGN_OR_RETURN(std::string dmn,
//                             fengqiao::ExportRuleTable(*rules, fengqiao::RuleTableFormat::kDmn));
//   FENGQIAO_ASSIGN_OR_RETURN(
//       fengqiao::v1::RuleSet back,
//       fengqiao::ImportRuleTable(dmn, fengqiao::RuleTableFormat::kDmn, "district.dmn"));
//   FENGQIAO_ASSIGN_OR_RETURN(
//       std::shared_ptr<const fengqiao::RuleSet> again,
//       fengqiao::RuleSet::Compile(fengqiao::RuleSetSource::FromProto(back), grid_map));
//   if (again->hash() != rules->hash()) return absl::InternalError("the round trip changed it");
//
// Errors: export is InvalidArgument for a rule no table cell can hold (two capacity tests on one
// team; a quote, backslash or control character in an area code, tag, team or rule id), naming
// the rule and field. Import is InvalidArgument "file:line:col: row N (rule "id"), column "c":
// ..." for what does not map (an unknown column, an expression outside the subset, an unknown
// enum name, a hit policy fengqiao has no equivalent of), malformed JSON or XML, invalid UTF-8;
// ResourceExhausted past options.max_bytes.
// Thread safety: free functions over values; safe from any thread.
#ifndef FENGQIAO_INTEROP_RULE_TABLE_H_
#define FENGQIAO_INTEROP_RULE_TABLE_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "fengqiao/routing/routing_facts.h"
#include "fengqiao/routing/rule_set.h"
#include "fengqiao/v1/routing.pb.h"

namespace fengqiao {

enum class RuleTableFormat {
  kJdm,  // GoRules JSON Decision Model (ZEN engine, GoRules editor)
  kDmn,  // OMG DMN 1.3 decision table (Camunda, Drools, bpmn.io)
};

// "jdm" or "dmn" (any case); InvalidArgument otherwise.
absl::StatusOr<RuleTableFormat> ParseRuleTableFormat(absl::string_view name);

struct RuleTableOptions {
  // Largest table text imported, bytes.
  size_t max_bytes = size_t{64} << 20;
};

// The compiled, merged rule set as a decision table in `format`.
absl::StatusOr<std::string> ExportRuleTable(const RuleSet& rules, RuleTableFormat format);

// A table in `format` (the text of the file `filename`, which only names it in errors) as a
// rule set, not yet validated against a grid map.
absl::StatusOr<v1::RuleSet> ImportRuleTable(absl::string_view text, RuleTableFormat format,
                                            absl::string_view filename,
                                            const RuleTableOptions& options = {});

// Reads the file at `path` (a regular file, at most options.max_bytes) and imports it.
absl::StatusOr<v1::RuleSet> LoadRuleTable(absl::string_view path, RuleTableFormat format,
                                          const RuleTableOptions& options = {});

// The input object (JSON) both exported tables read for one incident: "area" (the incident's
// area code and its ancestors', grid first), the enums by short name ("dispute", "noise"),
// "police_matter" (null for an unknown kind), the numbers, the flags, "tags" (the tags the rules
// name that the facts carry) and "capacity" ({team: {free_slots, on_shift}} for the teams whose
// state is known, indexed like rules.teams()). The caller of an engine fills these itself.
std::string RuleTableInput(const RuleSet& rules, const RoutingFacts& facts,
                           absl::Span<const CapacityState> capacity = {});

}  // namespace fengqiao

#endif  // FENGQIAO_INTEROP_RULE_TABLE_H_
