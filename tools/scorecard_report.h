// The main job's department scorecards (部门考核, issue 18 point 6) and its red orders (三色预警):
// the month's scorecards of the departments from the case store under the district's policy
// (DIR/scorecard.textproto when present), and the open orders by warning colour as of the
// state time, the red ones by department. Tool code, not library.
#ifndef FENGQIAO_TOOLS_SCORECARD_REPORT_H_
#define FENGQIAO_TOOLS_SCORECARD_REPORT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/store/case_store.h"

namespace fengqiao::tools {

// Prints the scorecards of the month before `as_of` and the warnings as of `as_of`.
absl::Status PrintScorecards(const CaseStore& store, const GridMap& grid_map, absl::Time as_of,
                             const std::string& district_dir);

}  // namespace fengqiao::tools

#endif  // FENGQIAO_TOOLS_SCORECARD_REPORT_H_
