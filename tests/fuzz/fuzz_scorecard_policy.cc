// A district's scorecard policy in protobuf text format. Invariants: a refusal is InvalidArgument
// naming the file; a policy that parses is one CheckScorecardPolicy accepts, its effective form
// holds finite weights and thresholds in range, and scorecards can be created with it and
// report on an order.
#include <cmath>
#include <cstdint>
#include <string>

#include "absl/strings/match.h"
#include "fengqiao/metrics/department_scorecard.h"
#include "fengqiao/metrics/scorecard_policy.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<fengqiao::v1::ScorecardPolicy> policy =
      fengqiao::ParseScorecardPolicy(text, "fuzz.textproto");
  if (!policy.ok()) {
    FQ_FUZZ_CHECK(policy.status().code() == absl::StatusCode::kInvalidArgument,
                  policy.status().ToString());
    FQ_FUZZ_CHECK(absl::StrContains(policy.status().message(), "fuzz.textproto"),
                  policy.status().ToString());
    return 0;
  }
  FQ_FUZZ_CHECK(fengqiao::CheckScorecardPolicy(*policy).ok(), "a parsed policy checks");
  const fengqiao::v1::ScorecardPolicy rules = fengqiao::EffectiveScorecardPolicy(*policy);
  FQ_FUZZ_CHECK(rules.indicators_size() > 0, "indicators");
  for (const fengqiao::v1::ScorecardWeight& w : rules.indicators()) {
    FQ_FUZZ_CHECK(std::isfinite(w.weight()) && w.weight() >= 0 && w.weight() <= 1000, "weight");
    FQ_FUZZ_CHECK(w.threshold() >= 0 && w.threshold() <= 1, "threshold");
  }
  fengqiao::ScorecardOptions options;
  options.as_of = absl::FromUnixSeconds(1'793'462'400);  // 2026-11-01 +08
  options.policy = *policy;
  absl::StatusOr<std::unique_ptr<fengqiao::DepartmentScorecards>> cards =
      fengqiao::DepartmentScorecards::Create(options);
  FQ_FUZZ_CHECK(cards.ok(), cards.status().ToString());
  fengqiao::CaseRecord order;
  order.reported_at = 1'793'000'000;
  order.order_department = fengqiao::v1::DEPARTMENT_CITY_MANAGEMENT;
  (*cards)->Add(order);
  const fengqiao::v1::ScorecardReport report = (*cards)->Report();
  for (const fengqiao::v1::DepartmentScore& s : report.departments()) {
    FQ_FUZZ_CHECK(!s.has_score() || (s.score() >= 0 && s.score() <= 100 + 1e-9), "score");
  }
  return 0;
}
