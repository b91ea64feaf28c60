// File: fengqiao/incident/incident_log.h
// Reading a batch of incidents (an IncidentLog: text format, or JSON for ".json") and validating
// every one against the grid map; errors name file:line:col and the incident id.
//
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::GridMap> map,
//                             fengqiao::GridMap::Load("examples/data/grid_map.textproto"));
//   FENGQIAO_ASSIGN_OR_RETURN(
//       fengqiao::v1::IncidentLog log,
//       fengqiao::LoadIncidentLog("examples/data/incidents_2026-10.json", *map));
//   // NotFound for a missing file; InvalidArgument names file:line:col and the incident id.
//
// Thread safety: free functions; safe from any thread.
#ifndef FENGQIAO_INCIDENT_INCIDENT_LOG_H_
#define FENGQIAO_INCIDENT_INCIDENT_LOG_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/v1/incident.pb.h"

namespace fengqiao {

// Reads and validates the incident log at `path`. Incident ids must be unique.
absl::StatusOr<v1::IncidentLog> LoadIncidentLog(absl::string_view path, const GridMap& grid_map);

// As LoadIncidentLog, from text in memory; `filename` names it in errors and picks the format.
absl::StatusOr<v1::IncidentLog> ParseIncidentLog(absl::string_view content,
                                                 absl::string_view filename,
                                                 const GridMap& grid_map);

}  // namespace fengqiao

#endif  // FENGQIAO_INCIDENT_INCIDENT_LOG_H_
