// File: fengqiao/mediation/roster_capacity.h
// The capacity snapshot routing's capacity tests read, taken from the roster at a moment: for
// each team a rule set names, whether any member is on shift and how many case slots the members
// on shift have free (capacity minus open cases).
//
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::GridMap> grid_map,
//                             fengqiao::GridMap::Load("examples/data/grid_map.textproto"));
//   FENGQIAO_ASSIGN_OR_RETURN(
//       std::shared_ptr<const fengqiao::Roster> roster,
//       fengqiao::Roster::Load("examples/data/roster.textproto", grid_map));
//   const fengqiao::CapacitySnapshot snapshot = fengqiao::CapacityFromRoster(
//       *roster, {"t-mediators"}, absl::FromUnixSeconds(1791943200));  // Wed 10:00 +08
//   if (!snapshot.contains("t-mediators")) return absl::InternalError("every team named");
//
// Thread safety: a function of its arguments.
#ifndef FENGQIAO_MEDIATION_ROSTER_CAPACITY_H_
#define FENGQIAO_MEDIATION_ROSTER_CAPACITY_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "fengqiao/force/roster.h"
#include "fengqiao/routing/rule_set.h"
#include "fengqiao/time_zone.h"

namespace fengqiao {

// Each of `teams` (e.g. RuleSet::teams()) at `at`: on shift when any member is, free slots summed
// over the members on shift. A team the roster does not know is reported off shift with no room.
CapacitySnapshot CapacityFromRoster(const Roster& roster, const std::vector<std::string>& teams,
                                    absl::Time at, absl::TimeZone time_zone = ChinaTimeZone());

}  // namespace fengqiao

#endif  // FENGQIAO_MEDIATION_ROSTER_CAPACITY_H_
