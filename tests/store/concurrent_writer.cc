// The writer half of SqliteCaseStoreConcurrencyTest: one of several processes saving to the same
// cases. Each save loads a case (or opens it when it is not stored yet), reassigns it to a token
// unique to this writer and save ("w<id>-<n>"), and saves; on Aborted (another writer saved the
// case first) or Unavailable (the write lock was busy) it reloads and tries again. After each Save
// returns OK it prints "ack <case id> <seq> <token>" (the acknowledged event); each retry prints
// "conflict" or "busy". It exits 0 after SAVES acknowledged saves.
//   concurrent_writer DB_PATH WRITER_ID SEED SAVES CASES
#include <cstdio>
#include <random>
#include <string>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "fengqiao/store/sqlite_case_store.h"
#include "testing/cases.h"

namespace {

// The case to save next: the stored one reassigned to `token`, or a new case assigned to it.
absl::StatusOr<fengqiao::CaseLoop> Reassigned(const fengqiao::CaseStore& store,
                                              const std::string& id, const std::string& token) {
  absl::StatusOr<fengqiao::v1::Case> stored = store.Get(id);
  if (absl::IsNotFound(stored.status())) {
    fengqiao::CaseLoop loop = fengqiao::testing::OpenCase(id);
    if (!fengqiao::testing::Advance(loop, fengqiao::testing::kOpenedAt, token)) {
      return absl::InternalError("cannot assign a new case");
    }
    return loop;
  }
  if (!stored.ok()) return stored.status();
  absl::StatusOr<fengqiao::CaseLoop> loop = fengqiao::CaseLoop::Restore(*std::move(stored));
  if (!loop.ok()) return loop.status();
  const absl::Time last = absl::FromUnixSeconds(loop->proto().events().rbegin()->at().seconds());
  fengqiao::v1::CaseEvent e =
      fengqiao::MakeEvent(fengqiao::v1::CASE_EVENT_TYPE_ASSIGN, last + absl::Seconds(1), token);
  e.set_assignee(token);
  if (absl::Status s = loop->Record(e); !s.ok()) return s;
  return loop;
}

}  // namespace

int main(int argc, char** argv) {
  int saves = 0, cases = 0;
  uint64_t seed = 0;
  if (argc != 6 || !absl::SimpleAtoi(argv[3], &seed) || !absl::SimpleAtoi(argv[4], &saves) ||
      !absl::SimpleAtoi(argv[5], &cases) || cases <= 0) {
    return 64;
  }
  auto store = fengqiao::SqliteCaseStore::Open(argv[1]);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", std::string(store.status().message()).c_str());
    return 1;
  }
  std::mt19937_64 rng(seed);
  const absl::Time now = fengqiao::testing::kOpenedAt;
  for (int n = 0; n < saves; ++n) {
    const std::string id = absl::StrCat("c", rng() % cases);
    const std::string token = absl::StrCat("w", argv[2], "-", n);
    for (;;) {
      absl::StatusOr<fengqiao::CaseLoop> loop = Reassigned(**store, id, token);
      if (!loop.ok()) {
        std::fprintf(stderr, "%s\n", std::string(loop.status().message()).c_str());
        return 1;
      }
      // A short pause between the read and the write, where another writer may save first.
      std::this_thread::sleep_for(std::chrono::microseconds(rng() % 200));
      absl::Status saved = (*store)->Save({&loop->proto()}, now);
      if (saved.ok()) {
        std::printf("ack %s %d %s\n", id.c_str(), loop->proto().events_size(), token.c_str());
        break;
      }
      if (absl::IsAborted(saved)) {
        std::printf("conflict\n");
      } else if (absl::IsUnavailable(saved)) {
        std::printf("busy\n");
      } else {
        std::fprintf(stderr, "%s\n", std::string(saved.message()).c_str());
        return 1;
      }
    }
  }
  std::fflush(stdout);
  return 0;
}
