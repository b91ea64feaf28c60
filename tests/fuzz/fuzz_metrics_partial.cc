// Serialised metrics partials (fengqiao.v1.MetricsPartial), as Dask workers send them.
// Invariant: a partial that merges round-trips: serialised again and merged into a fresh result,
// it gives the same report.
#include <cstdint>
#include <memory>
#include <string>

#include "fengqiao/metrics/case_metrics.h"
#include "fuzz_common.h"
#include "google/protobuf/util/message_differencer.h"

namespace {

std::unique_ptr<fengqiao::CaseMetrics> Fresh() {
  fengqiao::MetricsOptions options;
  options.period_start = absl::FromUnixSeconds(1'790'784'000);  // 2026-10-01 +08
  options.period_end = absl::FromUnixSeconds(1'793'462'400);    // 2026-11-01 +08
  options.group_by = {fengqiao::v1::DIMENSION_STREET, fengqiao::v1::DIMENSION_CATEGORY};
  options.comparisons = {fengqiao::v1::PERIOD_KIND_MONTH};
  return *fengqiao::CaseMetrics::Create(fengqiao::fuzz::SampleMap(), options);
}

}  // namespace

// Loading the sample map is not part of any input's time.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fengqiao::fuzz::SampleMap();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::unique_ptr<fengqiao::CaseMetrics> first = Fresh();
  if (!first->MergeSerialized(absl::string_view(reinterpret_cast<const char*>(data), size)).ok()) {
    return 0;
  }
  std::unique_ptr<fengqiao::CaseMetrics> second = Fresh();
  FQ_FUZZ_CHECK(second->MergeSerialized(first->SerializePartial()).ok());
  FQ_FUZZ_CHECK(
      google::protobuf::util::MessageDifferencer::Equals(first->Report(), second->Report()));
  return 0;
}
