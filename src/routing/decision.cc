// The hot path and the records it leaves: a decision ANDs a partition's bitsets for the
// incident's facts and walks the candidates in hit order (Resolve: capacity tests, then the hit
// policy); Decide and Explain add what a stored case and an accountability review need.
#include <algorithm>
#include <system_error>
#include <thread>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "fengqiao/routing/rule_set.h"
#include "fengqiao/status_macros.h"
#include "fengqiao/vocabulary.h"
#include "internal/columns.h"
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
  return RouteOne(*compiled_, compiled_->policy.unique(), facts, capacity, capacity_skipped);
}

namespace {

// Runs body(begin, end) over [0, n) in `threads` contiguous slices (the calling thread takes the
// first); fewer threads when slices would be smaller than kMinSlice rows, where starting a thread
// costs more than it saves. Each row is written by exactly one thread.
template <typename Body>
void InSlices(size_t n, int threads, Body body) {
  constexpr size_t kMinSlice = 16 * 1024;
  size_t t = threads < 1 ? 1 : static_cast<size_t>(threads);
  t = std::max<size_t>(1, std::min(t, n / kMinSlice));
  if (t <= 1) {
    body(0, n);
    return;
  }
  std::vector<std::thread> workers;
  workers.reserve(t - 1);
  const size_t per = (n + t - 1) / t;
  for (size_t k = 1; k < t; ++k) {
    const size_t begin = std::min(n, k * per), end = std::min(n, begin + per);
    try {
      workers.emplace_back([&body, begin, end] { body(begin, end); });
    } catch (const std::system_error&) {
      body(begin, end);  // no thread to be had: this slice on the calling thread
    }
  }
  body(0, std::min(n, per));
  for (std::thread& w : workers) w.join();
}

}  // namespace

void RuleSet::RouteBatch(absl::Span<const RoutingFacts> facts, absl::Span<RouteResult> out,
                         absl::Span<const CapacityState> capacity, int threads) const {
  const bool unique = compiled_->policy.unique();
  const CompiledRules& c = *compiled_;
  const size_t n = std::min(facts.size(), out.size());
  InSlices(n, threads, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) out[i] = RouteOne(c, unique, facts[i], capacity, nullptr);
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
                                                   {"tags", columns.tags.size()}}));
  const bool unique = compiled_->policy.unique();
  const CompiledRules& c = *compiled_;
  auto at = [](const auto& span, size_t i) {
    return span.empty() ? typename std::decay_t<decltype(span)>::value_type{} : span[i];
  };
  InSlices(n, threads, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
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
  });
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
  return d;
}

v1::Explanation RuleSet::Explain(const RoutingFacts& facts, absl::string_view incident_id,
                                 absl::Span<const CapacityState> capacity) const {
  v1::Explanation e;
  *e.mutable_decision() = Decide(facts, incident_id, capacity);
  const bool stop_at_first = compiled_->policy.first_match_wins();
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

absl::string_view TierName(v1::Tier tier) { return DisplayName(tier); }

}  // namespace fengqiao
