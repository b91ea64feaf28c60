// Grid and force lookups on the sample district: point -> grid through the S2 shape index, and
// ranking candidates for a dispute. Run: ./build/bench/grid_bench
#include <memory>
#include <random>
#include <vector>

#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "fengqiao/force/candidate_selector.h"
#include "fengqiao/force/roster.h"
#include "fengqiao/grid/grid_map.h"

namespace {

const std::shared_ptr<const fengqiao::GridMap>& SampleMapPtr() {
  static const auto* map = new std::shared_ptr<const fengqiao::GridMap>(
      *fengqiao::GridMap::Load(FENGQIAO_SOURCE_DIR "/examples/data/grid_map.textproto"));
  return *map;
}

const fengqiao::GridMap& SampleMap() { return *SampleMapPtr(); }

const std::shared_ptr<const fengqiao::Roster>& SampleRoster() {
  static const auto* roster = new std::shared_ptr<const fengqiao::Roster>(*fengqiao::Roster::Load(
      FENGQIAO_SOURCE_DIR "/examples/data/roster.textproto", SampleMapPtr()));
  return *roster;
}

// Points spread over the district's bounding box (some fall outside every grid).
std::vector<fengqiao::v1::LatLng> Points(int n) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> lat(29.929, 29.955), lng(122.179, 122.213);
  std::vector<fengqiao::v1::LatLng> out(n);
  for (auto& p : out) {
    p.set_lat_deg(lat(rng));
    p.set_lng_deg(lng(rng));
  }
  return out;
}

void BM_LocateGrid(benchmark::State& state) {
  const fengqiao::GridMap& map = SampleMap();
  const auto points = Points(4096);
  size_t i = 0, found = 0;
  for (auto _ : state) {
    auto grid = map.Locate(points[i++ & 4095]);
    found += (grid.ok() && *grid != nullptr) ? 1 : 0;
    benchmark::DoNotOptimize(grid);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["hit_share"] = static_cast<double>(found) / state.iterations();
}
BENCHMARK(BM_LocateGrid);

void BM_CandidatesForDispute(benchmark::State& state) {
  fengqiao::CandidateSelector selector(SampleRoster(), {});
  fengqiao::CandidateRequest request;
  request.dispute_type = fengqiao::v1::DISPUTE_TYPE_NEIGHBOUR;
  request.grid_code = "xc-qd-c1-g2";
  request.at =
      absl::FromCivil(absl::CivilMinute(2026, 10, 14, 10, 0), absl::FixedTimeZone(8 * 3600));
  request.limit = 5;
  for (auto _ : state) {
    auto list = selector.Candidates(request);
    benchmark::DoNotOptimize(list);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["members"] = SampleRoster()->proto().members_size();
}
BENCHMARK(BM_CandidatesForDispute);

}  // namespace
