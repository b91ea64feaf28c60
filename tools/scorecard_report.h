// The main job's department scorecards (部门考核, issue 18 point 6) and its red orders (三色预警):
// the month's scorecards of the departments from the case store under the district's policy
// (DIR/scorecard.textproto when present, read before the month is simulated), and the open orders
// by warning colour as of the state time, the red ones by department. Tool code, not library.
#ifndef FENGQIAO_TOOLS_SCORECARD_REPORT_H_
#define FENGQIAO_TOOLS_SCORECARD_REPORT_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/store/case_store.h"
#include "fengqiao/v1/metrics.pb.h"

namespace fengqiao::tools {

// Prints the scorecards of the policy's period ending at `as_of` (the month before the first of
// a month by default) and the warnings as of `as_of`.
absl::Status PrintScorecards(const CaseStore& store, const GridMap& grid_map, absl::Time as_of,
                             const v1::ScorecardPolicy& policy);

}  // namespace fengqiao::tools

#endif  // FENGQIAO_TOOLS_SCORECARD_REPORT_H_
