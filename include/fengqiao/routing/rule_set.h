// File: fengqiao/routing/rule_set.h
// A RuleSet is a compiled, immutable routing rule set: it sends every incident to its tier
// (mediator, community police, joint mediation, department diversion, police dispatch ...) in tens
// of nanoseconds whatever the number of rules, because it is partitioned by area (each grid sees
// only the rules that can apply to it) and each partition holds per-field bitsets of the rules
// that accept each value; a decision ANDs a handful of words and takes the first set bit.
// Compiling validates and lints the rules; every finding names file:line:col.
//
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::GridMap> grid_map,
//                             fengqiao::GridMap::Load("examples/data/grid_map.textproto"));
//   FENGQIAO_ASSIGN_OR_RETURN(
//       fengqiao::RuleSetSource source,
//       fengqiao::RuleSetSource::Load("examples/data/rules/district.textproto"));
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::RuleSet> rules,
//                             fengqiao::RuleSet::Compile(source, grid_map));
//   fengqiao::v1::Incident incident;  // a noise dispute between neighbours, by 110
//   incident.set_id("110-2026-10-0001");
//   incident.mutable_reported_at()->set_seconds(1791943200);  // 2026-10-14 10:00 (+08)
//   incident.set_channel(fengqiao::v1::CHANNEL_CALL_110);
//   incident.set_kind(fengqiao::v1::INCIDENT_KIND_DISPUTE);
//   incident.set_dispute_type(fengqiao::v1::DISPUTE_TYPE_NOISE);
//   incident.set_grid_code("xc-lc-c1-g1");
//   FENGQIAO_ASSIGN_OR_RETURN(fengqiao::RoutingFacts facts,
//                             fengqiao::MakeRoutingFacts(incident, /*repeat_count=*/0, *rules));
//   fengqiao::v1::Decision d = rules->Decide(facts, incident.id());  // tier, rule, hash
//   if (d.action().tier() == fengqiao::v1::TIER_UNSPECIFIED) {
//     return absl::InternalError(d.rule_id());
//   }
//
// Thread safety: a RuleSet is immutable; share it across threads (Router swaps them atomically).
// It shares ownership of the GridMap it was compiled against, so the map lives as long as it does.
#ifndef FENGQIAO_ROUTING_RULE_SET_H_
#define FENGQIAO_ROUTING_RULE_SET_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/routing/routing_facts.h"
#include "fengqiao/routing/rule_source.h"
#include "fengqiao/time_zone.h"
#include "fengqiao/v1/incident.pb.h"
#include "fengqiao/v1/routing.pb.h"
#include "google/protobuf/arena.h"

namespace fengqiao {

namespace routing_internal {
struct CompiledRules;
}  // namespace routing_internal

class ResponsibilityCatalogue;  // fengqiao/routing/responsibility_catalogue.h

// One finding of validation or lint.
struct RuleIssue {
  enum class Severity { kError, kWarning };
  Severity severity = Severity::kError;
  // "file:line:col" (or "<rules[3].when>" for rule sets built in code).
  std::string where;
  // Rule id, when the finding is about one rule.
  std::string rule_id;
  // Kind of finding: "empty", "missing-id", "duplicate-id", "inverted-range", "empty-range",
  // "out-of-domain", "unknown-area", "unknown-team", "bad-action", "bad-default",
  // "never-matches" (no incident can satisfy the conditions together), "shadowed" (FIRST /
  // PRIORITY: an earlier rule matches every incident this one does), "overlap" (UNIQUE), "gap"
  // (a warning: an incident category no rule is sure to catch), "too-many-tags". The lint
  // reasons over every value a RoutingFacts field can hold, so "shadowed" and "never-matches"
  // are proofs, not guesses.
  std::string code;
  // What is wrong, in words.
  std::string message;

  // As a compiler prints it: `file:line:col: error: rule "x": message [code]`.
  std::string ToString() const;
};

// Options of compiling.
struct RuleSetOptions {
  // Zone in which hour-of-day and day-of-week conditions read the report time.
  absl::TimeZone time_zone = ChinaTimeZone();  // Asia/Shanghai
  // When not empty, capacity tests and target teams must name one of these team ids (fill it
  // from the roster's teams; routing itself does not depend on the force module).
  std::vector<std::string> known_teams;
  // Most "gap" warnings reported (one per incident category without a catching rule).
  int max_gap_reports = 20;
  // The responsibility catalogue (职责清单 / 派单目录) that names a non-police matter's
  // department: MakeRoutingFacts (and RouteColumns, from RoutingColumns::matter) replace the
  // department intake recorded by the owner of the item the incident's matter_code names, or by
  // the catalogue's fallback owner when no item claims it; Decide records which
  // (v1::Decision::catalogue). Null: the department is the incident's responsible_department.
  std::shared_ptr<const ResponsibilityCatalogue> catalogue;
};

// State of a target team at routing time, supplied by the caller (a snapshot).
struct CapacityState {
  // Free case slots (capacity minus open cases).
  int32_t free_slots = 0;
  // Whether a member of the team is on shift.
  bool on_shift = false;
  // Whether the caller supplied this team's state; an unknown state fails capacity tests, so the
  // incident falls to the next rule rather than to a team that may be full.
  bool known = false;
};

// Team states by team id, as the caller knows them.
using CapacitySnapshot = absl::flat_hash_map<std::string, CapacityState>;

// The outcome of routing one incident.
struct RouteResult {
  // Index of the winning rule in proto().rules(); -1 when nothing matched (or ambiguous).
  int32_t rule = -1;
  // Rules passed over because a capacity test failed.
  uint16_t capacity_skips = 0;
  // UNIQUE only: more than one rule matched.
  bool ambiguous = false;
};

// A capacity test that failed and sent an incident on: the rule passed over and the team whose
// state failed (an index into RuleSet::teams()).
struct CapacityDiversion {
  int32_t rule = -1;
  int32_t team = -1;
};

// The decision record as the hot path leaves it (40 bytes, no strings, no allocation): what
// RuleSet::Decide stores, as indices. RuleSet::BuildDecision turns it into the v1::Decision on
// demand, with the same content Decide gives. Its variable parts (capacity diversions, the
// matches of COLLECT and of an ambiguous UNIQUE) live in the DecisionBatch beside it.
struct CompactDecision {
  // Winning rule (index in proto().rules()); -1 when nothing matched or UNIQUE was ambiguous.
  int32_t rule = -1;
  // Its action, an index into RuleSet::actions() (rules with equal actions share one); -1 none.
  int32_t action = -1;
  // Capacity diversions: DecisionBatch::diversions[diversions_at, diversions_at + diversions).
  uint32_t diversions_at = 0;
  uint16_t diversions = 0;
  // UNIQUE only: more than one rule matched.
  bool ambiguous = false;
  // COLLECT, or UNIQUE when ambiguous: every matching rule in hit order (capacity applied), as
  // DecisionBatch::matches[matches_at, matches_at + matches).
  uint32_t matches_at = 0;
  uint32_t matches = 0;
  // The version: the content hash of the rule set that decided (RuleSet::hash() as a number);
  // BuildDecision refuses a record from another rule set.
  uint64_t rule_set_hash = 0;
  // The facts' RoutingFacts::matter: the catalogue item (or kMatterFallback) that named the
  // department; kNoMatter without one.
  int32_t matter = kNoMatter;
};

// Compact decisions of a batch of incidents (RuleSet::DecideBatch), row i for facts[i]. Reused
// across calls, it allocates only when a batch is larger than the last one.
struct DecisionBatch {
  std::vector<CompactDecision> decisions;
  std::vector<CapacityDiversion> diversions;
  std::vector<int32_t> matches;
};

// One rule as RuleSet::ExplainCompact examined it: its index, the first condition it failed
// (RuleSet::ConditionName(failed); RuleSet::kMatched when it matched) and, for a failed capacity
// test, the team (index into RuleSet::teams(); -1 otherwise).
struct CompactTrace {
  int32_t rule = -1;
  int32_t team = -1;
  int32_t failed = 0;
};

// What RuleSet::Explain records, as indices: the decision (one row of `decision`), the rules of
// the incident's area in hit order up to the winner (all of them for COLLECT and UNIQUE), and the
// number of rules bound to other areas. Reused across calls, it stops allocating once warm.
struct CompactExplanation {
  DecisionBatch decision;
  std::vector<CompactTrace> traces;
  int32_t rules_outside_area = 0;
};

class RuleSet {
 public:
  // CompactTrace::failed of a rule that matched.
  static constexpr int32_t kMatched = 16;

  // Validates, lints and compiles. Any error-severity finding makes it fail with every error in
  // the message, one per line; warnings are kept in warnings().
  static absl::StatusOr<std::shared_ptr<const RuleSet>> Compile(
      const RuleSetSource& source, std::shared_ptr<const GridMap> grid_map,
      const RuleSetOptions& options = {});

  // Every finding (errors and warnings), in file order, without compiling.
  static std::vector<RuleIssue> Lint(const RuleSetSource& source, const GridMap& grid_map,
                                     const RuleSetOptions& options = {});

  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;
  ~RuleSet();

  // The merged rule set as compiled.
  const v1::RuleSet& proto() const { return proto_; }
  v1::HitPolicy hit_policy() const { return proto_.hit_policy(); }
  // Content hash (16 hex digits, FNV-1a 64 of the deterministic serialization of proto()): with
  // the version, what a stored decision names so it can be replayed against the rules then.
  const std::string& hash() const { return hash_; }
  const std::vector<RuleIssue>& warnings() const { return warnings_; }
  const GridMap& grid_map() const { return *grid_map_; }
  const std::shared_ptr<const GridMap>& shared_grid_map() const { return grid_map_; }
  const RuleSetOptions& options() const { return options_; }

  // Bit of a tag in RoutingFacts::tags; 0 when no rule mentions the tag.
  uint64_t TagBit(absl::string_view tag) const;
  // Teams named by capacity tests, in index order; capacity spans are indexed the same way.
  const std::vector<std::string>& teams() const { return teams_; }
  // The snapshot as a span for the hot path (teams missing from it are unknown).
  std::vector<CapacityState> ResolveCapacity(const CapacitySnapshot& snapshot) const;

  // Routes one incident. `capacity` is indexed like teams() (empty: every capacity test fails).
  // When `capacity_skipped` is set it receives the rules passed over for capacity, in order.
  RouteResult Route(const RoutingFacts& facts, absl::Span<const CapacityState> capacity = {},
                    std::vector<int32_t>* capacity_skipped = nullptr) const;

  // Routes a batch; `out` must have the size of `facts`. With `threads` > 1 the batch is cut into
  // that many slices routed on their own threads (fewer for batches under 16,384 rows a slice);
  // the results are the same as with one thread.
  void RouteBatch(absl::Span<const RoutingFacts> facts, absl::Span<RouteResult> out,
                  absl::Span<const CapacityState> capacity = {}, int threads = 1) const;

  // Routes columns: rule_out[i] = winning rule index or -1. InvalidArgument when a non-empty
  // column's length differs from area's or from rule_out's. `threads` as for RouteBatch.
  absl::Status RouteColumns(const RoutingColumns& columns, absl::Span<int32_t> rule_out,
                            absl::Span<const CapacityState> capacity = {}, int threads = 1) const;

  // Every matching rule in hit order (what COLLECT returns), capacity tests applied.
  std::vector<int32_t> Collect(const RoutingFacts& facts,
                               absl::Span<const CapacityState> capacity = {}) const;

  // The decision record stored with a case: rule id, action, version, hash, matched conditions,
  // capacity diversions, for COLLECT / UNIQUE every matching rule, and under a catalogue the item
  // (or the fallback owner) that named a non-police matter's department.
  v1::Decision Decide(const RoutingFacts& facts, absl::string_view incident_id,
                      absl::Span<const CapacityState> capacity = {}) const;

  // Decision records at engine speed: one CompactDecision per incident into `out` (cleared
  // first; its vectors are reused), the same decisions Decide records (tested field by field).
  void DecideBatch(absl::Span<const RoutingFacts> facts, DecisionBatch* out,
                   absl::Span<const CapacityState> capacity = {}) const;

  // The v1::Decision of row `row` of `batch`, as Decide gives it, into `out` (cleared first; it
  // may live on an arena). OutOfRange for a row past the batch; FailedPrecondition for a record
  // another rule set decided; InvalidArgument for indices this rule set does not have.
  absl::Status BuildDecision(const DecisionBatch& batch, size_t row, absl::string_view incident_id,
                             v1::Decision* out) const;

  // Every row of `batch` as a v1::Decision allocated on `arena` (required; the arena owns them),
  // incident_ids[i] naming row i. InvalidArgument when the lengths differ; as BuildDecision
  // otherwise.
  absl::StatusOr<std::vector<v1::Decision*>> BuildDecisions(
      const DecisionBatch& batch, absl::Span<const std::string> incident_ids,
      google::protobuf::Arena* arena) const;

  // The wire bytes of the v1::Decision BuildDecision gives (exactly what its SerializeAsString
  // gives), appended to `out` from fragments encoded at compile time: no message is built. For
  // records stored or sent as bytes. Errors as BuildDecision's (`out` unchanged).
  absl::Status AppendDecisionBytes(const DecisionBatch& batch, size_t row,
                                   absl::string_view incident_id, std::string* out) const;

  // The explanation as indices into `out` (cleared first; reused across calls): what Explain
  // records, without a string or a message.
  void ExplainCompact(const RoutingFacts& facts, absl::Span<const CapacityState> capacity,
                      CompactExplanation* out) const;

  // The v1::Explanation of a compact one, as Explain gives it, into `out` (cleared first; it may
  // live on an arena). Errors as BuildDecision's.
  absl::Status BuildExplanation(const CompactExplanation& compact, absl::string_view incident_id,
                                v1::Explanation* out) const;

  // Distinct actions of the rules (CompactDecision::action indexes them).
  const std::vector<v1::Action>& actions() const { return actions_; }
  // Action index of each rule, by rule index.
  const std::vector<int32_t>& action_of_rule() const { return action_of_rule_; }
  // Name of a condition field as v1::ConditionTrace::field gives it ("dispute_types"); "" for
  // kMatched and out-of-range numbers.
  static absl::string_view ConditionName(int32_t field);

  // The size of the compiled index a decision reads: its partitions (the distinct rule lists of
  // the areas; each area's rules with those of its ancestors and the unbound ones) and the bytes
  // of their tables. Once the bytes outgrow a core's caches, decisions wait for memory
  // (bench/RESULTS.md, issue 17 point 5).
  struct IndexSize {
    size_t partitions = 0;
    size_t bytes = 0;
  };
  IndexSize index_size() const;

  // The decision plus, for every rule that can apply in the incident's area (rules bound to other
  // areas are only counted), in hit order up to the winner (all of them for COLLECT and UNIQUE),
  // whether it matched and the first condition that failed. Evaluates rule by rule; use it for
  // accountability and debugging, not on the hot path.
  v1::Explanation Explain(const RoutingFacts& facts, absl::string_view incident_id,
                          absl::Span<const CapacityState> capacity = {}) const;

 private:
  RuleSet();
  v1::RuleSet proto_;
  std::string hash_;
  std::vector<RuleIssue> warnings_;
  std::shared_ptr<const GridMap> grid_map_;
  RuleSetOptions options_;
  std::vector<std::string> teams_;
  absl::flat_hash_map<std::string, uint64_t> tag_bits_;
  std::unique_ptr<routing_internal::CompiledRules> compiled_;
  uint64_t hash_value_ = 0;  // hash_ as a number
  std::vector<v1::Action> actions_;
  std::vector<int32_t> action_of_rule_;
};

// Interns an incident into facts for `rule_set`: area index of its grid (unknown grid: -1, only
// area-free rules apply), tag bits, local hour and weekday of reported_at, the assessed severity
// (Classify), and the dispute type and department as recorded whatever the kind (a non-police
// debt dispute keeps DISPUTE_TYPE_DEBT), so RoutingColumns holding the same fields route alike.
// Under a catalogue (RuleSetOptions::catalogue) a non-police matter's department and `matter`
// come from the item its matter_code names, or from the fallback owner.
// InvalidArgument when reported_at is unset or repeat_count is negative.
absl::StatusOr<RoutingFacts> MakeRoutingFacts(const v1::Incident& incident, int repeat_count,
                                              const RuleSet& rule_set);

// Display name of a tier, e.g. "mediator (专职调解员)".
absl::string_view TierName(v1::Tier tier);

}  // namespace fengqiao

#endif  // FENGQIAO_ROUTING_RULE_SET_H_
