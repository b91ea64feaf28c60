// Stored cases (fengqiao.v1.Case in the binary wire format, as the store keeps them) replayed
// through the case loop. Invariants: the store's in-place check (ReplayState) and Restore agree,
// on the state or on the refusal; a case that restores restores again from its own proto to the
// same state, tier and number of events.
#include <cstdint>

#include "fengqiao/closure/case_loop.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fengqiao::v1::Case stored;
  if (!stored.ParseFromArray(data, static_cast<int>(size))) return 0;
  absl::StatusOr<fengqiao::CaseLoop> loop = fengqiao::CaseLoop::Restore(stored);
  const absl::StatusOr<fengqiao::LoopState> in_place =
      fengqiao::CaseLoop::ReplayState(stored, nullptr);
  FQ_FUZZ_CHECK(in_place.ok() == loop.ok(), std::string(in_place.status().message()));
  if (!loop.ok()) {
    FQ_FUZZ_CHECK(in_place.status() == loop.status(), std::string(loop.status().message()));
    return 0;
  }
  FQ_FUZZ_CHECK(*in_place == loop->state());
  absl::StatusOr<fengqiao::CaseLoop> again = fengqiao::CaseLoop::Restore(loop->proto());
  FQ_FUZZ_CHECK(again.ok(), std::string(again.status().message()));
  FQ_FUZZ_CHECK(again->proto().state() == loop->proto().state());
  FQ_FUZZ_CHECK(again->proto().tier() == loop->proto().tier());
  FQ_FUZZ_CHECK(again->proto().events_size() == loop->proto().events_size());
  return 0;
}
