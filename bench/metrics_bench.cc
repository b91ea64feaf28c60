// A full grouped report (grid x category) over 10 M generated case records on one core,
// streaming: records are generated in chunks of 1 M and dropped, so memory follows the number of
// groups (40 grids x ~30 categories), not of records. Run: ./build/bench/metrics_bench
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/metrics/case_metrics.h"

namespace {

const fengqiao::GridMap& SampleMap() {
  static const auto* map = new std::shared_ptr<const fengqiao::GridMap>(
      *fengqiao::GridMap::Load(FENGQIAO_SOURCE_DIR "/examples/data/grid_map.textproto"));
  return **map;
}

// One chunk of records over October 2026: kinds, types and step times shaped like the sample.
std::vector<fengqiao::CaseRecord> Chunk(int n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<int32_t> grids;
  const fengqiao::GridMap& map = SampleMap();
  for (int i = 0; i < map.size(); ++i) {
    if (map.proto().areas(i).level() == fengqiao::v1::AREA_LEVEL_GRID) grids.push_back(i);
  }
  const int64_t start = absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilDay(2026, 10, 1), absl::FixedTimeZone(8 * 3600)));
  std::vector<fengqiao::CaseRecord> out(n);
  for (fengqiao::CaseRecord& r : out) {
    r.reported_at = start + static_cast<int64_t>(rng() % (31 * 86400));
    r.area = grids[rng() % grids.size()];
    const int roll = static_cast<int>(rng() % 100);
    r.kind = roll < 34 ? 8 : roll < 70 ? 1 : 2 + rng() % 6;
    if (r.kind == 1) r.dispute_type = 1 + rng() % 13;
    if (r.kind == 8) r.department = 1 + rng() % 11;
    r.flags = (r.kind == 8 ? 0u : static_cast<uint32_t>(fengqiao::kRecordPolice)) |
              fengqiao::kRecordOnSiteRequired | fengqiao::kRecordDisposed |
              fengqiao::kRecordRevisited |
              (rng() % 50 ? static_cast<uint32_t>(fengqiao::kRecordSatisfied) : 0u);
    r.assign_s = 5 + rng() % 30;
    r.accept_s = r.assign_s + rng() % 60;
    r.contact_s = r.accept_s + rng() % 150;
    r.arrival_s = rng() % 40 ? r.contact_s + 100 + rng() % 300 : -1;
    r.resolve_s = 1800 + rng() % 200000;
  }
  return out;
}

// The report over state.range(0) records (the chunk streamed) on `threads` threads
// (MetricsOptions::threads).
void GridByCategory(benchmark::State& state, int threads) {
  const int64_t total = state.range(0);
  constexpr int kChunk = 1'000'000;
  const std::vector<fengqiao::CaseRecord> chunk = Chunk(kChunk, 1);
  fengqiao::MetricsOptions options;
  options.period_start =
      absl::FromCivil(absl::CivilDay(2026, 10, 1), absl::FixedTimeZone(8 * 3600));
  options.period_end = absl::FromCivil(absl::CivilDay(2026, 11, 1), absl::FixedTimeZone(8 * 3600));
  options.group_by = {fengqiao::v1::DIMENSION_GRID, fengqiao::v1::DIMENSION_CATEGORY};
  options.comparisons = {fengqiao::v1::PERIOD_KIND_MONTH};
  options.threads = threads;
  size_t groups = 0;
  for (auto _ : state) {
    auto metrics = *fengqiao::CaseMetrics::Create(SampleMap(), options);
    // The same chunk streamed total / kChunk times (generation is not what is measured).
    for (int64_t done = 0; done < total; done += kChunk) metrics->AddAll(chunk);
    fengqiao::v1::MetricsReport report = metrics->Report();
    groups = metrics->group_count();
    benchmark::DoNotOptimize(report);
  }
  state.SetItemsProcessed(state.iterations() * total);
  state.counters["groups"] = static_cast<double>(groups);
}

void BM_MetricsGridByCategory(benchmark::State& state) { GridByCategory(state, 1); }
BENCHMARK(BM_MetricsGridByCategory)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same on 1 and 2 threads (issue 17 point 3: the scaling on this machine's two cores); wall
// time, and the process's CPU time beside it.
void BM_MetricsThreads(benchmark::State& state) {
  GridByCategory(state, static_cast<int>(state.range(1)));
}
BENCHMARK(BM_MetricsThreads)
    ->Args({10'000'000, 1})
    ->Args({10'000'000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

}  // namespace
