// A district's rules of work for orders in protobuf text format. Invariants: a refusal is
// InvalidArgument naming the file; a policy that parses lies within the ranges the loop relies
// on (the counts it keeps in one byte), and laid over the defaults it sets what it says.
#include <cstdint>
#include <string>

#include "absl/strings/match.h"
#include "fengqiao/closure/work_order_policy.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<fengqiao::v1::WorkOrderPolicy> policy =
      fengqiao::ParseWorkOrderPolicy(text, "fuzz.textproto");
  if (!policy.ok()) {
    FQ_FUZZ_CHECK(policy.status().code() == absl::StatusCode::kInvalidArgument,
                  policy.status().ToString());
    FQ_FUZZ_CHECK(absl::StrContains(policy.status().message(), "fuzz.textproto"),
                  policy.status().ToString());
    return 0;
  }
  const fengqiao::CaseLoopOptions options = fengqiao::WithWorkOrderPolicy({}, *policy);
  FQ_FUZZ_CHECK(options.max_extensions >= 0 && options.max_extensions <= 127, "max_extensions");
  FQ_FUZZ_CHECK(
      options.max_extension_working_days >= 1 && options.max_extension_working_days <= 127,
      "max_extension_working_days");
  FQ_FUZZ_CHECK(options.supervision_after_rounds >= 1, "supervision_after_rounds");
  FQ_FUZZ_CHECK(options.supervision_bodies.size() <= 16 && !options.supervision_bodies.empty(),
                "supervision_bodies");
  if (policy->has_max_returns()) {
    FQ_FUZZ_CHECK(options.max_returns == policy->max_returns(), "max_returns");
  }
  return 0;
}
