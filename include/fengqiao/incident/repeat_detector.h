// File: fengqiao/incident/repeat_detector.h
// A RepeatDetector counts, for each new incident, the earlier incidents that share a party with
// it within a window (反复纠纷: the same parties back within N days). Repeats raise severity and
// route a dispute to a higher tier.
//
//   #include "fengqiao/incident/incident_log.h"
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::GridMap> map,
//                             fengqiao::GridMap::Load("examples/data/grid_map.textproto"));
//   FENGQIAO_ASSIGN_OR_RETURN(
//       fengqiao::v1::IncidentLog log,
//       fengqiao::LoadIncidentLog("examples/data/incidents_2026-10.json", *map));
//   fengqiao::RepeatDetector repeats(absl::Hours(24 * 30));
//   int repeated = 0;
//   for (const fengqiao::v1::Incident& incident : log.incidents()) {
//     // Earlier incidents within 30 days that share a party; InvalidArgument when the incident
//     // goes back in time.
//     FENGQIAO_ASSIGN_OR_RETURN(int n, repeats.Observe(incident));
//     if (n > 0) ++repeated;
//   }
//
// Thread safety: not thread-safe; one detector per stream of incidents (or guard it).
#ifndef FENGQIAO_INCIDENT_REPEAT_DETECTOR_H_
#define FENGQIAO_INCIDENT_REPEAT_DETECTOR_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "fengqiao/v1/incident.pb.h"

namespace fengqiao {

class RepeatDetector {
 public:
  // Incidents older than `window` before the new one do not count.
  explicit RepeatDetector(absl::Duration window);

  // Number of earlier observed incidents within the window sharing at least one party
  // (person_id) with `incident`; each earlier incident counts once. Does not record it.
  int Count(const v1::Incident& incident) const;

  // Count(), then records the incident. Incidents may arrive slightly out of order; only those
  // reported before this one count. InvalidArgument when reported_at is unset.
  absl::StatusOr<int> Observe(const v1::Incident& incident);

  // Drops records older than `cutoff` (memory stays proportional to the window).
  void ForgetBefore(absl::Time cutoff);

 private:
  struct Seen {
    absl::Time at;
    std::string incident_id;
  };
  absl::Duration window_;
  absl::flat_hash_map<std::string, std::vector<Seen>> by_person_;
};

}  // namespace fengqiao

#endif  // FENGQIAO_INCIDENT_REPEAT_DETECTOR_H_
