#include "tools/scorecard_report.h"

#include <map>
#include <string>
#include <vector>

#include "fengqiao/metrics/department_scorecard.h"
#include "fengqiao/status_macros.h"
#include "fengqiao/store/warnings.h"
#include "fengqiao/vocabulary.h"
#include "fmt/core.h"
#include "tools/compstat_format.h"

namespace fengqiao::tools {

absl::Status PrintScorecards(const CaseStore& store, const GridMap& grid_map, absl::Time as_of,
                             const v1::ScorecardPolicy& policy) {
  ScorecardOptions options;
  options.as_of = as_of;
  options.policy = policy;
  FENGQIAO_ASSIGN_OR_RETURN(v1::ScorecardReport report, ScoreDepartments(store, grid_map, options));
  fmt::print("\n{}", FormatScorecards(report));
  // Three-colour warnings of the open orders as the state time stands.
  FENGQIAO_ASSIGN_OR_RETURN(std::vector<OrderWarning> warnings,
                            FindWarnings(store, grid_map, as_of, WarningQuery()));
  std::map<int, int64_t> by_colour, red_by_department;
  for (const OrderWarning& w : warnings) {
    ++by_colour[w.colour];
    if (w.colour == v1::WARNING_COLOUR_RED) ++red_by_department[w.department];
  }
  fmt::print("三色预警 (open orders by time left):");
  for (int c = v1::WARNING_COLOUR_GREEN; c <= v1::WARNING_COLOUR_RED; ++c) {
    fmt::print(" {} {}", std::string(LabelOf(static_cast<v1::WarningColour>(c)).zh), by_colour[c]);
  }
  fmt::print("; red orders by department:");
  if (red_by_department.empty()) fmt::print(" none");
  for (const auto& [department, n] : red_by_department) {
    if (department == v1::DEPARTMENT_UNSPECIFIED) continue;
    fmt::print(" {} {}", std::string(LabelOf(static_cast<v1::Department>(department)).zh), n);
  }
  if (red_by_department.count(v1::DEPARTMENT_UNSPECIFIED) > 0) {
    fmt::print("; not diverted {}", red_by_department[v1::DEPARTMENT_UNSPECIFIED]);
  }
  fmt::print("\n");
  return absl::OkStatus();
}

}  // namespace fengqiao::tools
