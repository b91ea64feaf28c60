// File: fengqiao/incident/incident.h
// Incidents (警情) and disputes (矛盾纠纷): validation against the grid map and classification
// (police matter or not, dispute type, severity, channel, responsible department).
//
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::GridMap> map,
//                             fengqiao::GridMap::Load("examples/data/grid_map.textproto"));
//   fengqiao::v1::Incident incident;
//   incident.set_id("2026-11-000001");
//   incident.set_kind(fengqiao::v1::INCIDENT_KIND_DISPUTE);
//   incident.set_dispute_type(fengqiao::v1::DISPUTE_TYPE_NOISE);
//   incident.set_channel(fengqiao::v1::CHANNEL_HOTLINE_12345);
//   incident.set_grid_code("xc-lc-c1-g1");
//   incident.mutable_reported_at()->set_seconds(1795573200);  // 2026-11-25 10:20 (+08)
//   FENGQIAO_RETURN_IF_ERROR(fengqiao::ValidateIncident(incident, *map));
//   // InvalidArgument names the incident and field:
//   // incident "2026-11-000001": grid_code "xc-99" is not in the grid map
//   fengqiao::Classification c = fengqiao::Classify(incident, /*repeat_count=*/1);
//   if (!c.police_matter) { /* divert (分流) to c.department */ }
//
// Thread safety: free functions over const data; safe from any thread.
#ifndef FENGQIAO_INCIDENT_INCIDENT_H_
#define FENGQIAO_INCIDENT_INCIDENT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/v1/incident.pb.h"

namespace fengqiao {

// Thresholds of severity assessment (分级) for incidents that arrive without one.
struct ClassifierOptions {
  // Amounts at or above this many fen make a dispute general (一般性): 5,000 yuan.
  int64_t general_amount_fen = 5'000'00;
  // Amounts at or above this many fen make a dispute major (重大): 50,000 yuan.
  int64_t major_amount_fen = 50'000'00;
  // This many parties or more make a dispute general.
  int general_parties = 3;
  // This many parties or more make a dispute major (群体性).
  int major_parties = 5;
  // Earlier incidents with the same parties making a dispute general / major (反复纠纷).
  int general_repeats = 1;
  int major_repeats = 2;
};

// What the classifier concluded about an incident.
struct Classification {
  // Police matter (警务) or non-police matter (非警务事项) to be diverted.
  bool police_matter = true;
  v1::IncidentKind kind = v1::INCIDENT_KIND_UNSPECIFIED;
  v1::DisputeType dispute_type = v1::DISPUTE_TYPE_UNSPECIFIED;
  // The incident's own severity if set, otherwise the assessed one.
  v1::Severity severity = v1::SEVERITY_UNSPECIFIED;
  v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
  // Responsible department for a non-police matter.
  v1::Department department = v1::DEPARTMENT_UNSPECIFIED;
  // Whether severity came from the assessment rather than the intake.
  bool severity_assessed = false;
};

// Whether the incident is a police matter (警务): its police_matter when set, otherwise every kind
// but NON_POLICE. A dispute can be a non-police matter (diverted to its department).
bool IsPoliceMatter(const v1::Incident& incident);

// Classifies an incident; `repeat_count` is the number of earlier incidents with the same
// parties (see RepeatDetector).
Classification Classify(const v1::Incident& incident, int repeat_count = 0,
                        const ClassifierOptions& options = {});

// Checks an incident: id present; every enum a number its enum defines (kind 99 is refused);
// every string UTF-8; reported_at set; reported_at and occurred_at within 2000-01-01 ..
// 2099-12-31 UTC with valid nanos; occurred_at not after reported_at; channel and kind set;
// dispute type set for a dispute; department or matter_code set for a non-police matter (kind
// NON_POLICE or police_matter false; a catalogue names the department of a matter_code); NON_POLICE
// not declared a police matter; grid known to the map; location (if set) valid; amount between 0
// and 10^13 fen; every party with a person_id. InvalidArgument naming the incident id and the
// field, never a personal value.
absl::Status ValidateIncident(const v1::Incident& incident, const GridMap& grid_map);

// Display names, e.g. "noise (噪音)", "110", "city management (城管)".
absl::string_view DisputeTypeName(v1::DisputeType type);
absl::string_view ChannelName(v1::Channel channel);
absl::string_view DepartmentName(v1::Department department);
absl::string_view SeverityName(v1::Severity severity);
absl::string_view IncidentKindName(v1::IncidentKind kind);

}  // namespace fengqiao

#endif  // FENGQIAO_INCIDENT_INCIDENT_H_
