// File: fengqiao/mediation/handler_choice.h
// Choosing who handles a routed case through the force module's candidates, with 调排分离 by
// default: whoever found a dispute (a grid worker on patrol, say) is not the one who mediates it.
// The routing decision's target force type and team narrow the search; when nobody fits, the
// answer says why (the shortfall), as a duty desk needs to hear it.
//
//   #include "fengqiao/grid/grid_map.h"
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::GridMap> map,
//                             fengqiao::GridMap::Load("examples/data/grid_map.textproto"));
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::Roster> roster,
//                             fengqiao::Roster::Load("examples/data/roster.textproto", map));
//   fengqiao::CandidateSelector selector(roster, {});
//   fengqiao::v1::Incident incident;
//   incident.set_id("c-0001");
//   incident.set_kind(fengqiao::v1::INCIDENT_KIND_DISPUTE);
//   incident.set_dispute_type(fengqiao::v1::DISPUTE_TYPE_NEIGHBOUR);
//   incident.set_grid_code("xc-lc-c1-g1");
//   fengqiao::v1::Decision decision;
//   decision.set_rule_id("simple-full-time-mediator");
//   decision.mutable_action()->set_tier(fengqiao::v1::TIER_MEDIATOR);
//   decision.mutable_action()->set_target_force_type(fengqiao::v1::FORCE_TYPE_FULL_TIME_MEDIATOR);
//   const absl::Time now = absl::FromUnixSeconds(1791943200);  // 2026-10-14 10:00 +08
//   FENGQIAO_ASSIGN_OR_RETURN(fengqiao::HandlerChoice who,
//                             fengqiao::ChooseHandler(selector, incident, decision, now));
//   // Either a member to assign, or the shortfall a duty desk needs to hear.
//   if (who.member_id.empty() && who.shortfall.empty()) return absl::InternalError("no answer");
//   return absl::OkStatus();
//
// Errors: as CandidateSelector::Candidates (InvalidArgument for an incident without a grid,
// NotFound for an unknown grid).
//
// Thread safety: reads only; safe from any thread.
#ifndef FENGQIAO_MEDIATION_HANDLER_CHOICE_H_
#define FENGQIAO_MEDIATION_HANDLER_CHOICE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "fengqiao/force/candidate_selector.h"
#include "fengqiao/v1/force.pb.h"
#include "fengqiao/v1/incident.pb.h"
#include "fengqiao/v1/routing.pb.h"

namespace fengqiao {

struct HandlerChoiceOptions {
  // 调排分离: the member who found the dispute does not mediate it.
  bool separate_finder = true;
  // 调排分离 by role (seed 001: 网格力量负责排查发现矛盾纠纷 ... 派出所调度): force types that screen
  // and find and never handle a case, whatever the decision asks. Per deployment; empty turns
  // it off.
  std::vector<v1::ForceType> screening_forces = {v1::FORCE_TYPE_GRID_WORKER};
  // 四格融合: for police work (the tier's force is police), the grid's own 警格 officer first.
  bool police_grid_officer_first = true;
  // Candidates kept in the answer.
  int keep = 5;
};

struct HandlerChoice {
  // Chosen member, empty when nobody fits (see shortfall) or the tier is a department's.
  std::string member_id;
  // Ranked candidates, best first.
  std::vector<v1::Candidate> candidates;
  // Why nobody fits, e.g. "nobody available: 3 off shift, 1 at capacity"; empty otherwise.
  std::string shortfall;
};

// The force type a tier is handled by when the decision names none.
v1::ForceType DefaultForceFor(v1::Tier tier);

// Chooses the handler of a routed case at `at`. Department diversions have no member handler
// (member_id empty, no shortfall). Errors as CandidateSelector::Candidates.
absl::StatusOr<HandlerChoice> ChooseHandler(const CandidateSelector& selector,
                                            const v1::Incident& incident,
                                            const v1::Decision& decision, absl::Time at,
                                            const HandlerChoiceOptions& options = {});

// Chooses a co-handler (协办) of a case beside its lead: a member of `force` on duty at `at` (the
// roster's shifts are the duty rota), never the lead and, with 调排分离, never the finder or a
// screening role; for police the grid's own 警格 officer first. 警律联调: the lawyer on duty leads
// (ChooseHandler for TIER_LAWYER), the grid's officer on duty co-handles
// (ChooseCoHandler(..., FORCE_TYPE_POLICE, lawyer, ...)). InvalidArgument for an unset or
// unknown force; otherwise as ChooseHandler (an empty member_id with the shortfall).
absl::StatusOr<HandlerChoice> ChooseCoHandler(const CandidateSelector& selector,
                                              const v1::Incident& incident, v1::ForceType force,
                                              absl::string_view lead_member_id, absl::Time at,
                                              const HandlerChoiceOptions& options = {});

}  // namespace fengqiao

#endif  // FENGQIAO_MEDIATION_HANDLER_CHOICE_H_
