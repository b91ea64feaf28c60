// The writer half of SqliteCaseStoreCrashTest: opens the store, then forever opens cases and takes
// existing ones a step further, saving a batch at a time. After each Save returns OK it prints
// one line per case saved, "<case id> <events>", then "commit", and flushes: a printed line is an
// acknowledgement. Then the mediator m-1 reads, in clear, a case it holds (CaseAccess records
// the read in the audit trail before returning it) and prints "read <case id>" once it has it.
// The test kills it with SIGKILL at a random moment.
//   crash_writer DB_PATH RUN_ID SEED
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/store/case_access.h"
#include "fengqiao/store/sqlite_case_store.h"
#include "testing/cases.h"

int main(int argc, char** argv) {
  if (argc != 4) return 64;
  uint64_t seed = 0;
  if (!absl::SimpleAtoi(argv[3], &seed)) return 64;
  // An encrypted store's key comes from the environment, as in a deployment.
  fengqiao::SqliteOptions options;
  if (std::getenv("FENGQIAO_STORE_KEY") != nullptr) {
    auto key = fengqiao::StoreKeyFromEnvironment();
    if (!key.ok()) return 64;
    options.key = *key;
  }
  auto store = fengqiao::SqliteCaseStore::Open(argv[1], options);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", std::string(store.status().message()).c_str());
    return 1;
  }
  auto map = fengqiao::GridMap::Load(FENGQIAO_SOURCE_DIR "/examples/data/grid_map.textproto");
  if (!map.ok()) return 1;
  fengqiao::v1::Viewer mediator;
  mediator.set_member_id("m-1");
  mediator.set_role(fengqiao::v1::VIEWER_ROLE_MEDIATOR);
  mediator.set_purpose(fengqiao::v1::ACCESS_PURPOSE_CASE_HANDLING);
  mediator.set_unmasked(true);
  auto access = fengqiao::CaseAccess::Open(store->get(), *map, mediator);
  if (!access.ok()) return 1;
  std::printf("ready\n");
  std::fflush(stdout);
  std::mt19937_64 rng(seed);
  std::vector<fengqiao::CaseLoop> open;
  absl::Time clock = fengqiao::testing::kOpenedAt;
  for (int batch = 0;; ++batch) {
    std::vector<size_t> touched;
    const int fresh = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < fresh; ++i) {
      open.push_back(fengqiao::testing::OpenCase(absl::StrCat(argv[2], "-", batch, "-", i),
                                                 absl::StrCat("g", rng() % 40)));
      touched.push_back(open.size() - 1);
    }
    for (int i = 0; i < 8 && !open.empty(); ++i) {
      const size_t k = rng() % open.size();
      clock += absl::Seconds(1 + rng() % 600);
      if (fengqiao::testing::Advance(open[k], clock)) touched.push_back(k);
    }
    std::vector<const fengqiao::v1::Case*> cases;
    for (size_t k : touched) cases.push_back(&open[k].proto());
    absl::Status saved = (*store)->Save(cases, clock);
    if (!saved.ok()) {
      std::fprintf(stderr, "%s\n", std::string(saved.message()).c_str());
      return 1;
    }
    for (size_t k : touched) {
      std::printf("%s %d\n", open[k].id().c_str(), open[k].proto().events_size());
    }
    std::printf("commit\n");
    std::fflush(stdout);
    for (size_t k : touched) {
      if (open[k].proto().assignee() != "m-1") continue;
      absl::StatusOr<fengqiao::v1::Case> read = access->Get(open[k].id(), clock);
      if (!read.ok()) {
        std::fprintf(stderr, "%s\n", std::string(read.status().message()).c_str());
        return 1;
      }
      std::printf("read %s\n", open[k].id().c_str());
      std::fflush(stdout);
      break;
    }
  }
}
