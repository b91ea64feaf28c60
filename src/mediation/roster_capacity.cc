#include "fengqiao/mediation/roster_capacity.h"

#include <algorithm>

namespace fengqiao {

CapacitySnapshot CapacityFromRoster(const Roster& roster, const std::vector<std::string>& teams,
                                    absl::Time at, absl::TimeZone time_zone) {
  CapacitySnapshot snapshot;
  for (const std::string& team : teams) {
    CapacityState state;
    for (const v1::Member* m : roster.TeamMembers(team)) {
      if (!Roster::OnShift(*m, at, time_zone)) continue;
      state.on_shift = true;
      state.free_slots += std::max(0, m->capacity() - m->open_cases());
    }
    snapshot[team] = state;
  }
  return snapshot;
}

}  // namespace fengqiao
