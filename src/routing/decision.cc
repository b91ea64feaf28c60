// The hot path and the records it leaves: a decision ANDs a partition's bitsets for the
// incident's facts and walks the candidates in hit order (Resolve: capacity tests, then the hit
// policy); Decide and Explain add what a stored case and an accountability review need.
#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "fengqiao/routing/responsibility_catalogue.h"
#include "fengqiao/routing/rule_set.h"
#include "fengqiao/status_macros.h"
#include "fengqiao/vocabulary.h"
#include "internal/columns.h"
#include "internal/thread_pool.h"
#include "routing/internal/compiled_rules.h"
#include "routing/internal/hit_policy.h"

namespace fengqiao {

using routing_internal::CompiledRules;
using routing_internal::Partition;

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

// The bitset of a partition's rules that accept `f` (routing_internal::Candidates): in place up
// to 8 words, on the heap beyond.
class CandidateBits {
 public:
  CandidateBits(const CompiledRules& c, const Partition& p, const RoutingFacts& f) {
    if (p.words() > 8) {
      large_.resize(p.words());
      bits_ = large_.data();
    }
    routing_internal::Candidates(c, p, f, bits_);
  }
  CandidateBits(const CandidateBits&) = delete;
  CandidateBits& operator=(const CandidateBits&) = delete;
  const uint64_t* data() const { return bits_; }

 private:
  uint64_t small_[8];
  std::vector<uint64_t> large_;
  uint64_t* bits_ = small_;
};

// Walks the candidate bits in hit order, applying capacity tests and the hit policy.
inline RouteResult Resolve(const CompiledRules& c, const Partition& p, const uint64_t* acc,
                           bool unique, absl::Span<const CapacityState> capacity,
                           std::vector<int32_t>* skipped) {
  RouteResult r;
  const int words = p.words();
  const absl::Span<const int32_t> rules = p.rules();
  const uint64_t* with_capacity = p.with_capacity();
  const bool has_capacity = p.has_capacity();
  for (int w = 0; w < words; ++w) {
    uint64_t bits = acc[w];
    while (bits != 0) {
      const int b = __builtin_ctzll(bits);
      bits &= bits - 1;
      const int32_t global = rules[w * 64 + b];
      if (has_capacity && ((with_capacity[w] >> b) & 1) &&
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

// Batch paths, before deciding facts[i], with an index larger than L2 (CompiledRules::prefetch):
// the head of facts[i + 8]'s partition and the rows of facts[i + 4]'s, so that the decisions'
// reads from L3 overlap instead of waiting one by one.
inline void PrefetchAhead(const CompiledRules& c, absl::Span<const RoutingFacts> facts, size_t i,
                          size_t end) {
  constexpr size_t kHeadAhead = 8, kRowsAhead = 4;
  if (i + kHeadAhead < end) routing_internal::PrefetchHead(c, facts[i + kHeadAhead]);
  if (i + kRowsAhead < end) routing_internal::PrefetchRows(c, facts[i + kRowsAhead]);
}

FENGQIAO_HOT RouteResult RouteOne(const CompiledRules& c, bool unique, const RoutingFacts& f,
                                  absl::Span<const CapacityState> capacity,
                                  std::vector<int32_t>* skipped) {
  const Partition p = c.PartitionOf(f.area);
  if (p.words() == 1) {
    uint64_t acc;
    routing_internal::Candidates<true>(c, p, f, &acc);
    if (acc == 0) return RouteResult{};
    // Fast path: the first candidate needs no capacity test and no uniqueness check.
    const int b = __builtin_ctzll(acc);
    if (!unique && !((p.with_capacity()[0] >> b) & 1)) {
      return RouteResult{p.rules()[b], 0, false};
    }
    return Resolve(c, p, &acc, unique, capacity, skipped);
  }
  const CandidateBits acc(c, p, f);
  return Resolve(c, p, acc.data(), unique, capacity, skipped);
}

}  // namespace

RouteResult RuleSet::Route(const RoutingFacts& facts, absl::Span<const CapacityState> capacity,
                           std::vector<int32_t>* capacity_skipped) const {
  return RouteOne(*compiled_, compiled_->policy.unique(), facts, capacity, capacity_skipped);
}

namespace {

// Runs body(begin, end) over [0, n) on up to `threads` threads of the process's pool (the caller's
// included), in chunks claimed one at a time; fewer threads when each would get fewer than
// kMinRows rows, where waking a worker costs more than it saves. Each row is written by exactly
// one thread, so the result does not depend on the number of threads.
template <typename Body>
void InSlices(size_t n, int threads, Body body) {
  constexpr size_t kMinRows = 8 * 1024;
  constexpr size_t kChunksPerThread = 8;
  size_t t = threads < 1 ? 1 : static_cast<size_t>(threads);
  t = std::max<size_t>(1, std::min(t, n / kMinRows));
  if (t <= 1) {
    body(0, n);
    return;
  }
  const size_t chunk =
      std::max(kMinRows / 2, (n + t * kChunksPerThread - 1) / (t * kChunksPerThread));
  const size_t chunks = (n + chunk - 1) / chunk;
  internal::ThreadPool::Shared().Run(chunks, static_cast<int>(t), [&](size_t k) {
    body(k * chunk, std::min(n, (k + 1) * chunk));
  });
}

}  // namespace

void RuleSet::RouteBatch(absl::Span<const RoutingFacts> facts, absl::Span<RouteResult> out,
                         absl::Span<const CapacityState> capacity, int threads) const {
  const bool unique = compiled_->policy.unique();
  const CompiledRules& c = *compiled_;
  const size_t n = std::min(facts.size(), out.size());
  InSlices(n, threads, [&](size_t begin, size_t end) {
    if (c.prefetch) {
      for (size_t i = begin; i < end; ++i) {
        PrefetchAhead(c, facts, i, end);
        out[i] = RouteOne(c, unique, facts[i], capacity, nullptr);
      }
    } else {
      for (size_t i = begin; i < end; ++i) {
        out[i] = RouteOne(c, unique, facts[i], capacity, nullptr);
      }
    }
  });
}

absl::Status RuleSet::RouteColumns(const RoutingColumns& columns, absl::Span<int32_t> rule_out,
                                   absl::Span<const CapacityState> capacity, int threads) const {
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
                                                   {"tags", columns.tags.size()},
                                                   {"matter", columns.matter.size()}}));
  const ResponsibilityCatalogue* catalogue = options_.catalogue.get();
  const bool unique = compiled_->policy.unique();
  const CompiledRules& c = *compiled_;
  InSlices(n, threads, [&](size_t begin, size_t end) {
    // Rows are gathered into facts a block at a time, field by field (a copy loop per column, or
    // zeros for an absent one), then routed: no per-row test of which columns are present.
    constexpr size_t kBlock = 256;
    RoutingFacts block[kBlock];
    for (size_t first = begin; first < end; first += kBlock) {
      const size_t count = std::min(kBlock, end - first);
      const auto fill = [&](const auto& span, auto member) {
        if (span.empty()) {
          for (size_t k = 0; k < count; ++k) block[k].*member = {};
        } else {
          for (size_t k = 0; k < count; ++k) block[k].*member = span[first + k];
        }
      };
      fill(columns.area, &RoutingFacts::area);
      fill(columns.kind, &RoutingFacts::kind);
      fill(columns.dispute_type, &RoutingFacts::dispute_type);
      fill(columns.severity, &RoutingFacts::severity);
      fill(columns.channel, &RoutingFacts::channel);
      fill(columns.department, &RoutingFacts::department);
      fill(columns.amount_fen, &RoutingFacts::amount_fen);
      fill(columns.party_count, &RoutingFacts::party_count);
      fill(columns.repeat_count, &RoutingFacts::repeat_count);
      fill(columns.hour, &RoutingFacts::hour);
      fill(columns.weekday, &RoutingFacts::weekday);
      fill(columns.flags, &RoutingFacts::flags);
      fill(columns.tags, &RoutingFacts::tags);
      if (catalogue != nullptr) {
        for (size_t k = 0; k < count; ++k) {
          block[k].matter = columns.matter.empty() ? kNoMatter : columns.matter[first + k];
          routing_internal::ApplyCatalogue(*catalogue, &block[k]);
        }
      }
      for (size_t k = 0; k < count; ++k) {
        if (c.prefetch) PrefetchAhead(c, absl::MakeConstSpan(block, count), k, count);
        rule_out[first + k] = RouteOne(c, unique, block[k], capacity, nullptr).rule;
      }
    }
  });
  return absl::OkStatus();
}

namespace {

// Appends every matching rule of `p` in hit order, capacity tests applied (what COLLECT returns).
void CollectInto(const CompiledRules& c, const Partition& p, const RoutingFacts& facts,
                 absl::Span<const CapacityState> capacity, std::vector<int32_t>* out) {
  const CandidateBits candidates(c, p, facts);
  const uint64_t* acc = candidates.data();
  const absl::Span<const int32_t> rules = p.rules();
  const uint64_t* with_capacity = p.with_capacity();
  for (int w = 0; w < p.words(); ++w) {
    for (uint64_t bits = acc[w]; bits != 0; bits &= bits - 1) {
      const int b = __builtin_ctzll(bits);
      const int32_t global = rules[w * 64 + b];
      if (((with_capacity[w] >> b) & 1) &&
          !routing_internal::CapacityPasses(c.rules[global], capacity, nullptr)) {
        continue;
      }
      out->push_back(global);
    }
  }
}

}  // namespace

std::vector<int32_t> RuleSet::Collect(const RoutingFacts& facts,
                                      absl::Span<const CapacityState> capacity) const {
  std::vector<int32_t> out;
  CollectInto(*compiled_, compiled_->PartitionOf(facts.area), facts, capacity, &out);
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
  if (compiled_->policy.collects() || r.ambiguous) {
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
  if (options_.catalogue != nullptr && facts.matter != kNoMatter) {
    *d.mutable_catalogue() = options_.catalogue->AssignmentOf(facts.matter);
  }
  return d;
}

v1::Explanation RuleSet::Explain(const RoutingFacts& facts, absl::string_view incident_id,
                                 absl::Span<const CapacityState> capacity) const {
  v1::Explanation e;
  *e.mutable_decision() = Decide(facts, incident_id, capacity);
  const bool stop_at_first = compiled_->policy.first_match_wins();
  // The rules that can apply in the incident's area, in hit order: its partition.
  const Partition p = compiled_->PartitionOf(facts.area);
  e.set_rules_outside_area(static_cast<int32_t>(compiled_->rules.size() - p.rules().size()));
  for (int32_t g : p.rules()) {
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

// Decision records at engine speed: the compact form, and the protobuf built from it on demand.

static_assert(RuleSet::kMatched == routing_internal::kNumFields,
              "CompactTrace::failed of a match is the number of condition fields");

void RuleSet::DecideBatch(absl::Span<const RoutingFacts> facts, DecisionBatch* out,
                          absl::Span<const CapacityState> capacity) const {
  const CompiledRules& c = *compiled_;
  const bool unique = c.policy.unique();
  const bool collects = c.policy.collects();
  const bool simple = !unique && !collects;
  out->decisions.resize(facts.size());
  out->diversions.clear();
  out->matches.clear();
  CompactDecision* const d = out->decisions.data();
  const int32_t* const action_of = action_of_rule_.data();
  const bool catalogue = options_.catalogue != nullptr;
  const int32_t n_items = catalogue ? options_.catalogue->size() : 0;
  std::vector<int32_t> skipped;
  for (size_t i = 0; i < facts.size(); ++i) {
    if (c.prefetch) PrefetchAhead(c, facts, i, facts.size());
    const RoutingFacts& f = facts[i];
    const Partition p = c.PartitionOf(f.area);
    CompactDecision r;
    r.rule_set_hash = hash_value_;
    if (catalogue && f.matter != kNoMatter) {
      r.matter = f.matter >= 0 && f.matter < n_items ? f.matter : kMatterFallback;
    }
    if (simple && p.words() == 1) {
      // Fast path (FIRST / PRIORITY, one word): the first candidate without a capacity test wins.
      uint64_t acc;
      routing_internal::Candidates<true>(c, p, f, &acc);
      if (acc == 0) {
        d[i] = r;
        continue;
      }
      const int b = __builtin_ctzll(acc);
      if (!((p.with_capacity()[0] >> b) & 1)) {
        r.rule = p.rules()[b];
        r.action = action_of[r.rule];
        d[i] = r;
        continue;
      }
    }
    skipped.clear();
    const RouteResult routed = RouteOne(c, unique, f, capacity, &skipped);
    r.diversions_at = static_cast<uint32_t>(out->diversions.size());
    r.diversions = static_cast<uint16_t>(skipped.size());
    for (int32_t s : skipped) {
      int team = -1;
      routing_internal::CapacityPasses(c.rules[s], capacity, &team);
      out->diversions.push_back(CapacityDiversion{s, team});
    }
    if (collects || routed.ambiguous) {
      r.matches_at = static_cast<uint32_t>(out->matches.size());
      CollectInto(c, p, f, capacity, &out->matches);
      r.matches = static_cast<uint32_t>(out->matches.size() - r.matches_at);
    }
    r.ambiguous = routed.ambiguous;
    r.rule = routed.rule;
    r.action = routed.rule >= 0 ? action_of[routed.rule] : -1;
    d[i] = r;
  }
}

namespace {

// Why row `row` of `batch` cannot be built by the rule set of `hash` / `hash_value` with
// `n_rules` rules, `n_teams` teams and `action_of_rule`; OK when it can.
absl::Status CheckRow(const DecisionBatch& batch, size_t row, uint64_t hash_value,
                      const std::string& hash, const std::vector<int32_t>& action_of_rule,
                      size_t n_teams, const ResponsibilityCatalogue* catalogue) {
  if (row >= batch.decisions.size()) {
    return absl::OutOfRangeError(
        absl::StrCat("BuildDecision: row ", row, " of a batch of ", batch.decisions.size()));
  }
  const CompactDecision& r = batch.decisions[row];
  if (r.rule_set_hash != hash_value) {
    return absl::FailedPreconditionError(
        absl::StrCat("BuildDecision: row ", row, " was decided by rule set ",
                     absl::Hex(r.rule_set_hash, absl::kZeroPad16), ", not by ", hash));
  }
  const auto n_rules = static_cast<int32_t>(action_of_rule.size());
  const auto bad = [row](absl::string_view what) {
    return absl::InvalidArgumentError(
        absl::StrCat("BuildDecision: row ", row, ": ", what, " out of range"));
  };
  if (r.rule < -1 || r.rule >= n_rules) return bad("rule");
  if (r.action != (r.rule >= 0 ? action_of_rule[r.rule] : -1)) return bad("action");
  if (r.matter != kNoMatter &&
      (catalogue == nullptr || r.matter < kMatterFallback || r.matter >= catalogue->size())) {
    return bad("matter");
  }
  if (size_t{r.diversions_at} + r.diversions > batch.diversions.size()) return bad("diversions");
  if (size_t{r.matches_at} + r.matches > batch.matches.size()) return bad("matches");
  for (uint32_t k = 0; k < r.diversions; ++k) {
    const CapacityDiversion& v = batch.diversions[r.diversions_at + k];
    if (v.rule < 0 || v.rule >= n_rules) return bad("diversion rule");
    if (v.team < -1 || v.team >= static_cast<int32_t>(n_teams)) return bad("diversion team");
  }
  for (uint32_t k = 0; k < r.matches; ++k) {
    const int32_t g = batch.matches[r.matches_at + k];
    if (g < 0 || g >= n_rules) return bad("match");
  }
  return absl::OkStatus();
}

// A capacity diversion as v1::Decision records it: "rule:team".
std::string DiversionText(const v1::RuleSet& proto, const std::vector<std::string>& teams,
                          int32_t rule, int team) {
  return absl::StrCat(proto.rules(rule).id(), ":", team >= 0 ? teams[team] : std::string());
}

// Protobuf's wire format: a varint, a length-delimited field.
void AppendVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void AppendBytesField(int field, absl::string_view bytes, std::string* out) {
  AppendVarint((static_cast<uint64_t>(field) << 3) | 2, out);
  AppendVarint(bytes.size(), out);
  out->append(bytes.data(), bytes.size());
}

}  // namespace

void routing_internal::ApplyCatalogue(const ResponsibilityCatalogue& catalogue,
                                      RoutingFacts* facts) {
  if ((EffectiveFlags(*facts) & kFactNonPolice) == 0) {
    facts->matter = kNoMatter;
    return;
  }
  if (facts->matter < 0 || facts->matter >= catalogue.size()) facts->matter = kMatterFallback;
  facts->department = static_cast<uint8_t>(catalogue.DepartmentOf(facts->matter));
}

void routing_internal::EncodeDecisionFragments(const v1::RuleSet& proto, const std::string& hash,
                                               const ResponsibilityCatalogue* catalogue,
                                               CompiledRules* compiled) {
  // Each fragment is a v1::Decision holding only those fields, serialised: protobuf writes
  // fields in number order, so the fragments concatenate to the whole message's bytes.
  v1::Decision set_fields;
  set_fields.set_rule_set_version(proto.version());
  set_fields.set_rule_set_hash(hash);
  compiled->decision_set = set_fields.SerializeAsString();
  compiled->decision_head.clear();
  compiled->decision_conditions.clear();
  for (int i = 0; i < proto.rules_size(); ++i) {
    v1::Decision head;
    head.set_rule_id(proto.rules(i).id());
    *head.mutable_action() = proto.rules(i).then();
    compiled->decision_head.push_back(head.SerializeAsString());
    v1::Decision conditions;
    const uint32_t constrained = compiled->rules[i].constrained;
    for (int f = 0; f < kNumFields; ++f) {
      if ((constrained >> f) & 1u) conditions.add_matched_conditions(FieldName(f));
    }
    compiled->decision_conditions.push_back(conditions.SerializeAsString());
  }
  compiled->decision_catalogue.clear();
  if (catalogue != nullptr) {
    for (int32_t m = kMatterFallback; m < catalogue->size(); ++m) {
      if (m == kNoMatter) continue;
      v1::Decision with;
      *with.mutable_catalogue() = catalogue->AssignmentOf(m);
      compiled->decision_catalogue.push_back(with.SerializeAsString());
    }
  }
}

absl::Status RuleSet::AppendDecisionBytes(const DecisionBatch& batch, size_t row,
                                          absl::string_view incident_id, std::string* out) const {
  FENGQIAO_RETURN_IF_ERROR(CheckRow(batch, row, hash_value_, hash_, action_of_rule_, teams_.size(),
                                    options_.catalogue.get()));
  const CompactDecision& r = batch.decisions[row];
  const CompiledRules& c = *compiled_;
  if (!incident_id.empty()) AppendBytesField(1, incident_id, out);
  if (r.rule >= 0) out->append(c.decision_head[r.rule]);
  out->append(c.decision_set);
  if (r.rule >= 0) out->append(c.decision_conditions[r.rule]);
  for (uint32_t k = 0; k < r.matches; ++k) {
    AppendBytesField(7, proto_.rules(batch.matches[r.matches_at + k]).id(), out);
  }
  for (uint32_t k = 0; k < r.diversions; ++k) {
    const CapacityDiversion& v = batch.diversions[r.diversions_at + k];
    AppendBytesField(8, DiversionText(proto_, teams_, v.rule, v.team), out);
  }
  if (r.ambiguous) {
    out->push_back(static_cast<char>((9 << 3) | 0));
    out->push_back(1);
  }
  if (r.matter != kNoMatter) {
    out->append(c.decision_catalogue[r.matter == kMatterFallback ? 0 : r.matter + 1]);
  }
  return absl::OkStatus();
}

absl::Status RuleSet::BuildDecision(const DecisionBatch& batch, size_t row,
                                    absl::string_view incident_id, v1::Decision* out) const {
  FENGQIAO_RETURN_IF_ERROR(CheckRow(batch, row, hash_value_, hash_, action_of_rule_, teams_.size(),
                                    options_.catalogue.get()));
  const CompactDecision& r = batch.decisions[row];
  out->Clear();
  out->set_incident_id(incident_id.data(), incident_id.size());
  out->set_rule_set_version(proto_.version());
  out->set_rule_set_hash(hash_);
  for (uint32_t k = 0; k < r.diversions; ++k) {
    const CapacityDiversion& v = batch.diversions[r.diversions_at + k];
    out->add_capacity_diversions(DiversionText(proto_, teams_, v.rule, v.team));
  }
  for (uint32_t k = 0; k < r.matches; ++k) {
    out->add_all_rule_ids(proto_.rules(batch.matches[r.matches_at + k]).id());
  }
  out->set_ambiguous(r.ambiguous);
  if (r.rule >= 0) {
    out->set_rule_id(proto_.rules(r.rule).id());
    *out->mutable_action() = actions_[r.action];
    const uint32_t constrained = compiled_->rules[r.rule].constrained;
    for (int f = 0; f < routing_internal::kNumFields; ++f) {
      if ((constrained >> f) & 1u) out->add_matched_conditions(routing_internal::FieldName(f));
    }
  }
  if (r.matter != kNoMatter) *out->mutable_catalogue() = options_.catalogue->AssignmentOf(r.matter);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Decision*>> RuleSet::BuildDecisions(
    const DecisionBatch& batch, absl::Span<const std::string> incident_ids,
    google::protobuf::Arena* arena) const {
  if (arena == nullptr) return absl::InvalidArgumentError("BuildDecisions: arena is null");
  if (incident_ids.size() != batch.decisions.size()) {
    return absl::InvalidArgumentError(absl::StrCat("BuildDecisions: ", incident_ids.size(),
                                                   " incident ids for ", batch.decisions.size(),
                                                   " decisions"));
  }
  std::vector<v1::Decision*> out(batch.decisions.size());
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = google::protobuf::Arena::CreateMessage<v1::Decision>(arena);
    FENGQIAO_RETURN_IF_ERROR(BuildDecision(batch, i, incident_ids[i], out[i]));
  }
  return out;
}

void RuleSet::ExplainCompact(const RoutingFacts& facts, absl::Span<const CapacityState> capacity,
                             CompactExplanation* out) const {
  DecideBatch(absl::MakeConstSpan(&facts, 1), &out->decision, capacity);
  const CompiledRules& c = *compiled_;
  const bool stop_at_first = c.policy.first_match_wins();
  // The rules that can apply in the incident's area, in hit order: its partition, whose rules
  // all hold the area condition.
  const Partition p = c.PartitionOf(facts.area);
  out->rules_outside_area = static_cast<int32_t>(c.rules.size() - p.rules().size());
  out->traces.clear();
  for (int32_t g : p.rules()) {
    CompactTrace t;
    t.rule = g;
    t.failed = routing_internal::FirstFailureAfterArea(c.rules[g], facts, capacity, &t.team);
    if (t.failed != routing_internal::kFieldCapacity) t.team = -1;
    out->traces.push_back(t);
    if (t.failed == kMatched && stop_at_first) break;
  }
}

absl::Status RuleSet::BuildExplanation(const CompactExplanation& compact,
                                       absl::string_view incident_id, v1::Explanation* out) const {
  out->Clear();
  FENGQIAO_RETURN_IF_ERROR(
      BuildDecision(compact.decision, 0, incident_id, out->mutable_decision()));
  out->set_rules_outside_area(compact.rules_outside_area);
  const int32_t n_rules = proto_.rules_size();
  for (const CompactTrace& t : compact.traces) {
    if (t.rule < 0 || t.rule >= n_rules || t.failed < 0 || t.failed > kMatched || t.team < -1 ||
        t.team >= static_cast<int32_t>(teams_.size())) {
      return absl::InvalidArgumentError("BuildExplanation: a trace is out of range");
    }
    v1::RuleTrace* trace = out->add_rules();
    trace->set_rule_id(proto_.rules(t.rule).id());
    trace->set_matched(t.failed == kMatched);
    if (t.failed != kMatched) {
      trace->mutable_first_failure()->set_field(routing_internal::FieldName(t.failed));
      if (t.failed == routing_internal::kFieldCapacity && t.team >= 0) {
        trace->mutable_first_failure()->set_capacity_team_id(teams_[t.team]);
      }
    }
  }
  return absl::OkStatus();
}

RuleSet::IndexSize RuleSet::index_size() const {
  return {compiled_->partition_count, compiled_->blocks.size() * sizeof(uint64_t)};
}

absl::string_view RuleSet::ConditionName(int32_t field) {
  return routing_internal::FieldName(field);
}

absl::string_view TierName(v1::Tier tier) { return DisplayName(tier); }

}  // namespace fengqiao
