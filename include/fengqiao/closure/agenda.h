// File: fengqiao/closure/agenda.h
// The agenda of a "512" consultation (会商议题): which cases wait for the street's Monday meeting
// in 临城街道 (or the district's Tuesday meeting), and since when. A case goes onto an agenda when
// it is escalated past its level (see case_loop.h); the agenda is read from the cases, as they
// stand, so it is always what the loop recorded.
//
//   #include "fengqiao/closure/case_loop.h"
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::GridMap> map,
//                             fengqiao::GridMap::Load("examples/data/grid_map.textproto"));
//   fengqiao::v1::Incident incident;
//   incident.set_id("c-0007");
//   incident.set_grid_code("xc-lc-c1-g1");  // a grid of 临城街道
//   fengqiao::v1::Decision decision;
//   decision.set_rule_id("dispute-community-police");
//   decision.mutable_action()->set_tier(fengqiao::v1::TIER_COMMUNITY_POLICE);
//   const absl::Time t0 = absl::FromUnixSeconds(1791943200);  // Wed 2026-10-14 10:00 +08
//   FENGQIAO_ASSIGN_OR_RETURN(fengqiao::CaseLoop loop,
//                             fengqiao::CaseLoop::Open(incident, decision, t0, "110"));
//   fengqiao::v1::CaseEvent up =
//       fengqiao::MakeEvent(fengqiao::v1::CASE_EVENT_TYPE_ESCALATE, t0 + absl::Hours(3), "p-1");
//   up.set_escalation_reason(fengqiao::v1::ESCALATION_REASON_PARTY_REQUEST);  // -> 大调解
//   FENGQIAO_RETURN_IF_ERROR(loop.Record(up));
//   const fengqiao::v1::Case cases[] = {loop.proto()};
//   FENGQIAO_ASSIGN_OR_RETURN(
//       std::vector<fengqiao::AgendaItem> monday,
//       fengqiao::ConsultationAgenda(cases, *map, fengqiao::v1::AREA_LEVEL_STREET, "xc-lc",
//                                    absl::FromUnixSeconds(1791943200 + 5 * 86400 - 3600)));
//   if (monday.size() != 1 || monday[0].since != t0 + absl::Hours(3)) {
//     return absl::InternalError("the case waits for Monday's street meeting");
//   }
//   return absl::OkStatus();
//
// Errors: InvalidArgument for a level without consultations above the community (only STREET and
// DISTRICT meet on cases); NotFound for an area code the grid map does not know;
// InvalidArgument for an area of another level than the meeting's.
//
// Thread safety: a pure function.
#ifndef FENGQIAO_CLOSURE_AGENDA_H_
#define FENGQIAO_CLOSURE_AGENDA_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/v1/case.pb.h"

namespace fengqiao {

// One case on a meeting's agenda.
struct AgendaItem {
  const v1::Case* c = nullptr;  // into the span given
  absl::Time since;             // when it went onto the agenda
  absl::Time scheduled_for;     // the meeting it was put on (earlier: carried over)
};

// The cases on the agenda of the meeting of `level` (STREET or DISTRICT) held at `meeting_at` for
// the area `area_code` (a street, or the district): cases in that area waiting for a consultation
// of `level` dated at or before the meeting (a meeting that recorded no outcome carries its cases
// over to the next), longest waiting first, then by case id.
absl::StatusOr<std::vector<AgendaItem>> ConsultationAgenda(absl::Span<const v1::Case> cases,
                                                           const GridMap& grid_map,
                                                           v1::AreaLevel level,
                                                           absl::string_view area_code,
                                                           absl::Time meeting_at);

}  // namespace fengqiao

#endif  // FENGQIAO_CLOSURE_AGENDA_H_
