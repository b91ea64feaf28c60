// File: fengqiao/store/warnings.h
// Three-colour warnings (三色预警) on open orders, as the supervising centre watches them: each
// open case is green while more than a quarter of the time to its earliest unmet deadline is left,
// amber from a quarter down to a tenth, red below a tenth or once overdue (thresholds are
// options). The time runs from when the holder's clock was armed (the instruction, the
// hand-over) to the deadline. Queried from the store by colour, department and area: "every red
// order of 住建 in 临城街道".
//
//   #include "fengqiao/store/memory_case_store.h"
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::GridMap> grid_map,
//                             fengqiao::GridMap::Load("examples/data/grid_map.textproto"));
//   fengqiao::MemoryCaseStore store;
//   fengqiao::WarningQuery red_housing;
//   red_housing.colour = fengqiao::v1::WARNING_COLOUR_RED;
//   red_housing.department = fengqiao::v1::DEPARTMENT_HOUSING_CONSTRUCTION;
//   red_housing.area_code = "xc-lc";
//   FENGQIAO_ASSIGN_OR_RETURN(
//       std::vector<fengqiao::OrderWarning> red,
//       fengqiao::FindWarnings(store, *grid_map, absl::FromUnixSeconds(1791943200), red_housing));
//   if (!red.empty()) return absl::InternalError("an empty store has no red orders");
//
// Thread safety: functions of their arguments; the store's methods are thread-safe.
// Errors: InvalidArgument for thresholds outside 0 <= red_below <= amber_below <= 1 or an area
// the map does not hold; the store's errors as they come.
#ifndef FENGQIAO_STORE_WARNINGS_H_
#define FENGQIAO_STORE_WARNINGS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/store/case_store.h"
#include "fengqiao/v1/case.pb.h"

namespace fengqiao {

struct WarningOptions {
  // Shares of the time left: green above amber_below, amber down to red_below, red below it.
  double amber_below = 0.25;
  double red_below = 0.10;
};

// One open order's warning.
struct OrderWarning {
  std::string case_id;
  v1::WarningColour colour = v1::WARNING_COLOUR_UNSPECIFIED;
  std::string deadline;  // the earliest unmet deadline ("resolve", "accept", ...)
  std::string holder;    // who holds the clock
  absl::Time due;
  // (due - now) / (due - armed - time paused); negative once overdue. A paused order (挂起) is
  // reckoned at the moment it was paused: its clock stands still, so does its colour.
  double share_left = 0;
  bool overdue = false;
  bool paused = false;
  v1::Department department = v1::DEPARTMENT_UNSPECIFIED;
  std::string grid_code;
};

// The warning of one case at `now`: nullopt for a closed case or one without an unmet deadline.
std::optional<OrderWarning> WarningOf(const v1::Case& c, absl::Time now,
                                      const WarningOptions& options = {});

// What FindWarnings selects; unset fields select everything.
struct WarningQuery {
  std::optional<v1::WarningColour> colour;
  // The department responsible (the case's, or its incident's for a diverted matter).
  std::optional<v1::Department> department;
  // An area code: cases in any grid under it.
  std::string area_code;
};

// The warnings of the store's open cases at `now` that `query` selects, red first, then by due
// time.
absl::StatusOr<std::vector<OrderWarning>> FindWarnings(const CaseStore& store,
                                                       const GridMap& grid_map, absl::Time now,
                                                       const WarningQuery& query = {},
                                                       const WarningOptions& options = {});

}  // namespace fengqiao

#endif  // FENGQIAO_STORE_WARNINGS_H_
