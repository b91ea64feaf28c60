#include "fengqiao/routing/incident_stream.h"

#include "fengqiao/status_macros.h"

namespace fengqiao {

absl::StatusOr<RoutingFacts> IncidentStream::Next(const v1::Incident& incident) {
  FENGQIAO_ASSIGN_OR_RETURN(const int repeat_count, repeats_.Observe(incident));
  return MakeRoutingFacts(incident, repeat_count, rules_);
}

}  // namespace fengqiao
