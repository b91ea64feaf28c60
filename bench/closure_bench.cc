// The closure loop and the case stores. Run: ./build/bench/closure_bench
//   BM_Transition: the pure transition function on the compact state (in memory).
//   BM_CaseLoopRecord: a CaseLoop recording protobuf events (what integrators call).
//   BM_SqliteAppendBatch/N: events appended to the SQLite store N per transaction.
//   BM_SqliteAppendDurableEach: one event per transaction with synchronous=FULL (fsync each).
#include <filesystem>
#include <vector>

#include "benchmark/benchmark.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/store/memory_case_store.h"
#include "fengqiao/store/sqlite_case_store.h"
#include "testing/cases.h"

namespace {

using fengqiao::LoopEvent;
using fengqiao::LoopState;

// A ring of events that is valid from ESCALATED forever: assign, accept, contact, arrive,
// mediate (人民调解), breach, fail (the 所长 keeps it at joint mediation: an override of the
// ladder, the most checks an escalation takes), assign, ... as a duty desk would see them.
std::vector<LoopEvent> Ring() {
  using namespace fengqiao::v1;  // NOLINT
  std::vector<LoopEvent> ring;
  auto add = [&](CaseEventType t, Tier tier = TIER_UNSPECIFIED) {
    LoopEvent e;
    e.type = t;
    e.tier = tier;
    e.mediation_type = MEDIATION_TYPE_PEOPLES;
    e.has_override_reason = t == CASE_EVENT_TYPE_MEDIATION_FAILED;
    e.actor_role = ACTOR_ROLE_STATION_CHIEF;
    ring.push_back(e);
  };
  add(CASE_EVENT_TYPE_ASSIGN);
  add(CASE_EVENT_TYPE_ACCEPT);
  add(CASE_EVENT_TYPE_CONTACT);
  add(CASE_EVENT_TYPE_ARRIVE);
  add(CASE_EVENT_TYPE_START_MEDIATION);
  add(CASE_EVENT_TYPE_SLA_BREACH);
  add(CASE_EVENT_TYPE_MEDIATION_FAILED, TIER_JOINT_MEDIATION);
  return ring;  // ESCALATED accepts ASSIGN: the ring repeats
}

void BM_Transition(benchmark::State& state) {
  const std::vector<LoopEvent> ring = Ring();
  LoopState s;
  s.state = fengqiao::v1::CASE_STATE_ESCALATED;
  s.tier = fengqiao::v1::TIER_MEDIATOR;
  int64_t second = 1791943200;
  size_t i = 0;
  for (auto _ : state) {
    LoopEvent e = ring[i];
    e.at = absl::FromUnixSeconds(second++);
    absl::StatusOr<LoopState> next = fengqiao::Apply(s, e);
    s = *next;
    i = i + 1 == ring.size() ? 0 : i + 1;
    if (i == 0 && s.escalations > 30000) s.escalations = s.overrides = 0;  // counts stop at 2^15
  }
  benchmark::DoNotOptimize(s);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Transition);

// Full protobuf path: a case taken through the whole loop, ~12 events per case.
void BM_CaseLoopRecord(benchmark::State& state) {
  int64_t events = 0;
  int n = 0;
  for (auto _ : state) {
    fengqiao::CaseLoop loop = fengqiao::testing::OpenCase(absl::StrCat("c", n++));
    absl::Time t = fengqiao::testing::kOpenedAt;
    while (fengqiao::testing::Advance(loop, t += absl::Seconds(10))) {
    }
    events += loop.proto().events_size();
    benchmark::DoNotOptimize(loop);
  }
  state.SetItemsProcessed(events);
}
BENCHMARK(BM_CaseLoopRecord);

// Cases of 10 events each, prepared outside the timing.
std::vector<fengqiao::CaseLoop> Cases(int n, const std::string& prefix) {
  std::vector<fengqiao::CaseLoop> out;
  for (int i = 0; i < n; ++i) {
    fengqiao::CaseLoop loop = fengqiao::testing::OpenCase(absl::StrCat(prefix, i));
    absl::Time t = fengqiao::testing::kOpenedAt;
    for (int k = 0; k < 8; ++k) fengqiao::testing::Advance(loop, t += absl::Seconds(10));
    out.push_back(std::move(loop));
  }
  return out;
}

std::string FreshDb(const char* name) {
  const std::string path = absl::StrCat("/tmp/fengqiao-bench-", name, ".db");
  for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path + s);
  return path;
}

// Options with the key of an encrypted store when `encrypted` (issue 14: encryption at rest).
fengqiao::SqliteOptions StoreOptions(bool encrypted) {
  fengqiao::SqliteOptions options;
  if (encrypted) options.key = std::string(32, '\x42');
  return options;
}

// range(0): events per transaction; range(1): 1 = encrypted store.
void BM_SqliteAppendBatch(benchmark::State& state) {
  const int events_per_batch = static_cast<int>(state.range(0));
  const int cases_per_batch = events_per_batch / 10;
  auto store = *fengqiao::SqliteCaseStore::Open(FreshDb(state.range(1) ? "batch-enc" : "batch"),
                                                StoreOptions(state.range(1) != 0));
  int batch = 0;
  int64_t events = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<fengqiao::CaseLoop> cases = Cases(cases_per_batch, absl::StrCat("b", batch++, "-"));
    std::vector<const fengqiao::v1::Case*> ptrs;
    for (auto& c : cases) {
      ptrs.push_back(&c.proto());
      events += c.proto().events_size();
    }
    state.ResumeTiming();
    if (!store->Save(ptrs, fengqiao::testing::kOpenedAt).ok()) state.SkipWithError("save failed");
  }
  state.SetItemsProcessed(events);
  state.counters["events_per_txn"] = events_per_batch;
}
BENCHMARK(BM_SqliteAppendBatch)
    ->Args({1000, 0})
    ->Args({1000, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Get of a case with its log (10 events) from a store of 1,000; range(0): 1 = encrypted.
void BM_SqliteGet(benchmark::State& state) {
  auto store = *fengqiao::SqliteCaseStore::Open(FreshDb(state.range(0) ? "get-enc" : "get"),
                                                StoreOptions(state.range(0) != 0));
  std::vector<fengqiao::CaseLoop> cases = Cases(1000, "g");
  std::vector<const fengqiao::v1::Case*> ptrs;
  for (auto& c : cases) ptrs.push_back(&c.proto());
  if (!store->Save(ptrs, fengqiao::testing::kOpenedAt).ok()) state.SkipWithError("save failed");
  int i = 0;
  for (auto _ : state) {
    auto c = store->Get(cases[i++ % cases.size()].id());
    if (!c.ok()) state.SkipWithError("get failed");
    benchmark::DoNotOptimize(c);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SqliteGet)->Arg(0)->Arg(1);

// One event per transaction, synchronous=FULL: the per-event durable rate (fsync each commit).
void BM_SqliteAppendDurableEach(benchmark::State& state) {
  auto store = *fengqiao::SqliteCaseStore::Open(FreshDb("each"));
  fengqiao::CaseLoop loop = fengqiao::testing::OpenCase("each");
  if (!store->Save({&loop.proto()}, fengqiao::testing::kOpenedAt).ok()) {
    state.SkipWithError("save failed");
  }
  absl::Time t = fengqiao::testing::kOpenedAt;
  for (auto _ : state) {
    fengqiao::v1::CaseEvent e = fengqiao::MakeEvent(fengqiao::v1::CASE_EVENT_TYPE_SLA_BREACH,
                                                    t += absl::Seconds(1), "clock");
    e.set_deadline("resolve");
    if (!loop.Record(e).ok() || !store->Save({&loop.proto()}, t).ok()) {
      state.SkipWithError("append failed");
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SqliteAppendDurableEach)->Unit(benchmark::kMicrosecond)->UseRealTime()->MinTime(2);

}  // namespace
