// Routing throughput on a generated district (400 grids) and a realistic tiered FIRST table:
// 20 city-wide rules last, local overrides per grid or street before them. Benchmark names carry
// the rule count. Run: ./build/bench/routing_bench
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "fengqiao/routing/rule_set.h"
#include "google/protobuf/arena.h"
#include "testing/generated_rules.h"

namespace {

constexpr int kIncidents = 1 << 16;

struct Workload {
  std::shared_ptr<const fengqiao::GridMap> map;
  std::shared_ptr<const fengqiao::RuleSet> rules;
  std::vector<fengqiao::RoutingFacts> facts;
};

const Workload& Get(int rule_count) {
  static std::map<int, Workload>* cache = new std::map<int, Workload>;
  auto it = cache->find(rule_count);
  if (it != cache->end()) return it->second;
  Workload w;
  w.map = fengqiao::testing::GeneratedDistrict();
  const fengqiao::v1::RuleSet proto = fengqiao::testing::GeneratedRules(*w.map, rule_count);
  w.rules = *fengqiao::RuleSet::Compile(fengqiao::RuleSetSource::FromProto(proto), w.map);
  w.facts = fengqiao::testing::GeneratedFacts(*w.map, kIncidents, 99);
  return cache->emplace(rule_count, std::move(w)).first->second;
}

void RuleCounts(benchmark::internal::Benchmark* b) { b->Arg(20)->Arg(200)->Arg(2000); }
// The engine's paths also at 20,000 rules (issue 17 point 5: >= 30 M/s there).
void RuleCountsToLarge(benchmark::internal::Benchmark* b) {
  RuleCounts(b);
  b->Arg(20000);
}

// One incident at a time through RuleSet::Route.
void BM_Route(benchmark::State& state) {
  const Workload& w = Get(static_cast<int>(state.range(0)));
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(w.rules->Route(w.facts[i++ & (kIncidents - 1)]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Route)->Apply(RuleCountsToLarge);

// Batches of 4,096 through RuleSet::RouteBatch.
void BM_RouteBatch(benchmark::State& state) {
  const Workload& w = Get(static_cast<int>(state.range(0)));
  constexpr size_t kBatch = 4096;
  std::vector<fengqiao::RouteResult> out(kBatch);
  size_t offset = 0;
  for (auto _ : state) {
    w.rules->RouteBatch(absl::MakeConstSpan(w.facts).subspan(offset, kBatch), absl::MakeSpan(out));
    benchmark::DoNotOptimize(out.data());
    offset = (offset + kBatch) & (kIncidents - 1);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  // What the decisions read: the index's partitions and its bytes (KiB), against the caches.
  state.counters["partitions"] = static_cast<double>(w.rules->index_size().partitions);
  state.counters["index_KiB"] = static_cast<double>(w.rules->index_size().bytes) / 1024;
}
BENCHMARK(BM_RouteBatch)->Apply(RuleCountsToLarge);

// The same batches with every incident in one grid (the first): one partition, whose tables stay
// in L1, so this is the decision's cost without the memory system (issue 17 point 5: how much of
// BM_RouteBatch's time is waiting for the index).
void BM_RouteBatchOneGrid(benchmark::State& state) {
  const Workload& w = Get(static_cast<int>(state.range(0)));
  std::vector<fengqiao::RoutingFacts> facts = w.facts;
  const int32_t grid = w.map->AreaIndex("s0-c0-g0");
  for (fengqiao::RoutingFacts& f : facts) f.area = grid;
  constexpr size_t kBatch = 4096;
  std::vector<fengqiao::RouteResult> out(kBatch);
  size_t offset = 0;
  for (auto _ : state) {
    w.rules->RouteBatch(absl::MakeConstSpan(facts).subspan(offset, kBatch), absl::MakeSpan(out));
    benchmark::DoNotOptimize(out.data());
    offset = (offset + kBatch) & (kIncidents - 1);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_RouteBatchOneGrid)->Apply(RuleCountsToLarge);

// The whole 65,536-incident table through RouteBatch on 1 or 2 threads (the machine's cores).
void BM_RouteBatchThreads(benchmark::State& state) {
  const Workload& w = Get(static_cast<int>(state.range(0)));
  const int threads = static_cast<int>(state.range(1));
  std::vector<fengqiao::RouteResult> out(w.facts.size());
  for (auto _ : state) {
    w.rules->RouteBatch(w.facts, absl::MakeSpan(out), {}, threads);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(w.facts.size()));
}
BENCHMARK(BM_RouteBatchThreads)
    ->Args({2000, 1})
    ->Args({2000, 2})
    ->Args({20, 1})
    ->Args({20, 2})
    ->UseRealTime();

// The same rows as columns through RuleSet::RouteColumns.
void BM_RouteColumns(benchmark::State& state) {
  const Workload& w = Get(static_cast<int>(state.range(0)));
  const fengqiao::testing::FactColumns columns(w.facts);
  const fengqiao::RoutingColumns c = columns.Columns();
  std::vector<int32_t> out(w.facts.size());
  for (auto _ : state) {
    benchmark::DoNotOptimize(w.rules->RouteColumns(c, absl::MakeSpan(out)));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(w.facts.size()));
}
BENCHMARK(BM_RouteColumns)->Apply(RuleCountsToLarge);

// The hand-written first-match loop over the same rules and incidents (grid tested first).
void BM_NaiveFirstMatch(benchmark::State& state) {
  const Workload& w = Get(static_cast<int>(state.range(0)));
  const fengqiao::testing::NaiveFirstMatch naive(*w.map, w.rules->proto());
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(naive.Match(w.facts[i++ & (kIncidents - 1)]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NaiveFirstMatch)->Apply(RuleCounts);

// The decision record stored with a case (rule id, action, version, hash, conditions).
void BM_Decide(benchmark::State& state) {
  const Workload& w = Get(static_cast<int>(state.range(0)));
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(w.rules->Decide(w.facts[i++ & (kIncidents - 1)], "2026-10-000001"));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Decide)->Apply(RuleCounts);

// The full explanation: every earlier rule with its first failed condition.
void BM_Explain(benchmark::State& state) {
  const Workload& w = Get(static_cast<int>(state.range(0)));
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(w.rules->Explain(w.facts[i++ & (kIncidents - 1)], "2026-10-000001"));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Explain)->Apply(RuleCounts);

// Decision records at engine speed (issue 17 point 1): DecideBatch over batches of 4,096, then
// `record(rules, batch)` (what is done with the compact decisions) once per batch.
constexpr size_t kRecordBatch = 4096;
template <typename Record>
void DecideBatches(benchmark::State& state, Record record) {
  const Workload& w = Get(static_cast<int>(state.range(0)));
  fengqiao::DecisionBatch out;
  size_t offset = 0;
  for (auto _ : state) {
    w.rules->DecideBatch(absl::MakeConstSpan(w.facts).subspan(offset, kRecordBatch), &out);
    record(*w.rules, out);
    offset = (offset + kRecordBatch) & (kIncidents - 1);
  }
  state.SetItemsProcessed(state.iterations() * kRecordBatch);
}

// An arena for a whole run whose first block (16 MiB) is kept across Reset(): no fresh pages.
struct ReusedArena {
  ReusedArena()
      : block(16 << 20), arena([this] {
          google::protobuf::ArenaOptions options;
          options.initial_block = block.data();
          options.initial_block_size = block.size();
          return options;
        }()) {}
  std::vector<char> block;
  google::protobuf::Arena arena;
};

// The compact decisions alone.
void BM_DecideBatch(benchmark::State& state) {
  DecideBatches(state, [](const fengqiao::RuleSet&, const fengqiao::DecisionBatch& out) {
    benchmark::DoNotOptimize(out.decisions.data());
  });
}
BENCHMARK(BM_DecideBatch)->Apply(RuleCountsToLarge);

// Each compact decision then built into its v1::Decision on an arena (in bulk): what Decide
// stores, by the compact path.
void BM_DecideBatchRecords(benchmark::State& state) {
  const std::vector<std::string> ids(kRecordBatch, "2026-10-000001");
  ReusedArena reused;
  DecideBatches(state, [&](const fengqiao::RuleSet& rules, const fengqiao::DecisionBatch& out) {
    reused.arena.Reset();
    benchmark::DoNotOptimize(rules.BuildDecisions(out, ids, &reused.arena));
  });
}
BENCHMARK(BM_DecideBatchRecords)->Apply(RuleCounts);

// Each compact decision then appended as the v1::Decision's wire bytes to one buffer (records
// stored or sent as bytes; no message built).
void BM_DecideBatchBytes(benchmark::State& state) {
  std::string bytes;
  DecideBatches(state, [&](const fengqiao::RuleSet& rules, const fengqiao::DecisionBatch& out) {
    bytes.clear();
    for (size_t i = 0; i < kRecordBatch; ++i) {
      benchmark::DoNotOptimize(rules.AppendDecisionBytes(out, i, "2026-10-000001", &bytes));
    }
    benchmark::DoNotOptimize(bytes.data());
  });
}
BENCHMARK(BM_DecideBatchBytes)->Apply(RuleCounts);

// The explanation as indices (rule, first failed condition) for one incident at a time.
void BM_ExplainCompact(benchmark::State& state) {
  const Workload& w = Get(static_cast<int>(state.range(0)));
  fengqiao::CompactExplanation out;
  size_t i = 0;
  for (auto _ : state) {
    w.rules->ExplainCompact(w.facts[i++ & (kIncidents - 1)], {}, &out);
    benchmark::DoNotOptimize(out.traces.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ExplainCompact)->Apply(RuleCounts);

// The compact explanation built into its v1::Explanation on an arena (reset every 256, its
// first block kept).
void BM_ExplainCompactRecord(benchmark::State& state) {
  const Workload& w = Get(static_cast<int>(state.range(0)));
  fengqiao::CompactExplanation out;
  ReusedArena reused;
  size_t i = 0;
  for (auto _ : state) {
    if ((i & 255) == 0) reused.arena.Reset();
    w.rules->ExplainCompact(w.facts[i++ & (kIncidents - 1)], {}, &out);
    auto* e = google::protobuf::Arena::CreateMessage<fengqiao::v1::Explanation>(&reused.arena);
    benchmark::DoNotOptimize(w.rules->BuildExplanation(out, "2026-10-000001", e));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ExplainCompactRecord)->Apply(RuleCounts);

// Compiling (validation, lint, index) the table: the curve at 2k / 20k / 100k rules (target:
// 20,000 rules in at most 100 ms on one core).
void BM_Compile(benchmark::State& state) {
  auto map = fengqiao::testing::GeneratedDistrict();
  const auto source = fengqiao::RuleSetSource::FromProto(
      fengqiao::testing::GeneratedRules(*map, static_cast<int>(state.range(0))));
  for (auto _ : state) benchmark::DoNotOptimize(fengqiao::RuleSet::Compile(source, map));
}
BENCHMARK(BM_Compile)
    ->Arg(20)
    ->Arg(200)
    ->Arg(2000)
    ->Arg(20000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
