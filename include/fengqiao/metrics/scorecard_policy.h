// File: fengqiao/metrics/scorecard_policy.h
// A district's rules for scoring departments on their work orders (部门工单考核), as data: the
// indicators scored with their weights and the thresholds below which each scores zero, the
// period, how many orders make a department rankable, and the red and black lists (红榜 / 黑榜).
// Read from a v1::ScorecardPolicy text file; unset fields keep the library's defaults
// (docs/scorecards.md lists them and says which published rule each follows).
//
//   FENGQIAO_ASSIGN_OR_RETURN(
//       fengqiao::v1::ScorecardPolicy policy,
//       fengqiao::LoadScorecardPolicy("examples/data/scorecard.textproto"));
//   const fengqiao::v1::ScorecardPolicy rules = fengqiao::EffectiveScorecardPolicy(policy);
//   if (rules.indicators_size() == 0 || rules.period() != fengqiao::v1::PERIOD_KIND_MONTH) {
//     return absl::InternalError("the district scores monthly on its indicators");
//   }
//
// Thread safety: functions of their arguments.
// Errors: LoadScorecardPolicy: NotFound (no file); InvalidArgument naming file:line:col and the
// field for a malformed file, an unknown field, invalid UTF-8, an enum number the enum does not
// define, an unspecified or repeated indicator, a weight outside 0..1000 or not finite (NaN, inf),
// weights that sum to zero, a threshold outside 0..1 or not finite, an unspecified period,
// min_orders outside 0..1,000,000, a list size outside 0..100, a list score outside 0..100 or not
// finite. CheckScorecardPolicy gives the same errors for a message built in code, naming the
// field path (<indicators[1].weight>).
#ifndef FENGQIAO_METRICS_SCORECARD_POLICY_H_
#define FENGQIAO_METRICS_SCORECARD_POLICY_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "fengqiao/v1/metrics.pb.h"

namespace fengqiao {

// Reads and checks a policy file (protobuf text format, or JSON for a name ending ".json").
absl::StatusOr<v1::ScorecardPolicy> LoadScorecardPolicy(absl::string_view path);
// As above from text, named `filename` in messages.
absl::StatusOr<v1::ScorecardPolicy> ParseScorecardPolicy(absl::string_view text,
                                                         absl::string_view filename);
// Checks a policy built in code.
absl::Status CheckScorecardPolicy(const v1::ScorecardPolicy& policy);

// The scorecard policy of the district whose data folder is `dir`: DIR/scorecard.textproto when
// present (checked as above), otherwise an empty policy (the library's defaults).
absl::StatusOr<v1::ScorecardPolicy> LoadDistrictScorecardPolicy(absl::string_view dir);

// The policy with every unset field at the library's default: the default indicators when it
// lists none, the month, at least 5 orders to rank, a red list of the best 3 scoring 90 or more,
// a black list of the worst 3 scoring below 80 (our defaults, not a city's: docs/scorecards.md).
v1::ScorecardPolicy EffectiveScorecardPolicy(const v1::ScorecardPolicy& policy);

}  // namespace fengqiao

#endif  // FENGQIAO_METRICS_SCORECARD_POLICY_H_
