// File: fengqiao/routing/incident_stream.h
// The one way from incidents to routing facts: incidents fed in report order, repeats counted
// over the stream (the same party within a window, RepeatDetector), facts interned for a rule
// set (MakeRoutingFacts). The main job, the month simulation, `fengqiao route` and the Python
// bindings all route through it, so that they count repeats and intern facts the same way.
//
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::GridMap> grid_map,
//                             fengqiao::GridMap::Load("examples/data/grid_map.textproto"));
//   FENGQIAO_ASSIGN_OR_RETURN(
//       fengqiao::RuleSetSource source,
//       fengqiao::RuleSetSource::Load("examples/data/rules/district.textproto"));
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::RuleSet> rules,
//                             fengqiao::RuleSet::Compile(source, grid_map));
//   fengqiao::IncidentStream stream(*rules);
//   fengqiao::v1::Incident incident;  // the same neighbours twice in a week
//   incident.set_id("a");
//   incident.set_kind(fengqiao::v1::INCIDENT_KIND_DISPUTE);
//   incident.set_dispute_type(fengqiao::v1::DISPUTE_TYPE_NEIGHBOUR);
//   incident.set_channel(fengqiao::v1::CHANNEL_CALL_110);
//   incident.set_grid_code("xc-lc-c1-g1");
//   incident.mutable_reported_at()->set_seconds(1791943200);
//   incident.add_parties()->set_person_id("p-1");
//   FENGQIAO_ASSIGN_OR_RETURN(fengqiao::RoutingFacts first, stream.Next(incident));
//   incident.set_id("b");
//   incident.mutable_reported_at()->set_seconds(1791943200 + 3 * 86400);
//   FENGQIAO_ASSIGN_OR_RETURN(fengqiao::RoutingFacts second, stream.Next(incident));
//   if (first.repeat_count != 0 || second.repeat_count != 1) {
//     return absl::InternalError("the second report of the same party is a repeat");
//   }
//
// Thread safety: a stream is not synchronised (one per thread or per ordered feed).
// Errors: Next returns InvalidArgument as RepeatDetector::Observe and MakeRoutingFacts do.
#ifndef FENGQIAO_ROUTING_INCIDENT_STREAM_H_
#define FENGQIAO_ROUTING_INCIDENT_STREAM_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "fengqiao/incident/repeat_detector.h"
#include "fengqiao/routing/routing_facts.h"
#include "fengqiao/routing/rule_set.h"
#include "fengqiao/v1/incident.pb.h"

namespace fengqiao {

class IncidentStream {
 public:
  // Repeats are counted within `repeat_window` (30 days, as the district counts them).
  explicit IncidentStream(const RuleSet& rules, absl::Duration repeat_window = absl::Hours(24 * 30))
      : rules_(rules), repeats_(repeat_window) {}

  // The next incident's facts, its repeats counted over the incidents fed before it.
  absl::StatusOr<RoutingFacts> Next(const v1::Incident& incident);

 private:
  const RuleSet& rules_;
  RepeatDetector repeats_;
};

}  // namespace fengqiao

#endif  // FENGQIAO_ROUTING_INCIDENT_STREAM_H_
