// File: fengqiao/force/candidate_selector.h
// A CandidateSelector answers "who can take this case?": it ranks the roster's members by skill
// match, grid proximity, current load and distance, and says for each member why it ranks where
// it does, and for each member left out the first reason that excluded it (off shift, at
// capacity, found the dispute himself under 调排分离, wrong force type, too far ...).
//
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::GridMap> map,
//                             fengqiao::GridMap::Load("examples/data/grid_map.textproto"));
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::Roster> roster,
//                             fengqiao::Roster::Load("examples/data/roster.textproto", map));
//   fengqiao::CandidateSelector selector(roster, {});  // keeps the roster
//   fengqiao::CandidateRequest req;
//   req.dispute_type = fengqiao::v1::DISPUTE_TYPE_NOISE;
//   req.grid_code = "xc-lc-c1-g1";
//   req.at = absl::FromCivil(absl::CivilMinute(2026, 11, 25, 10, 0), fengqiao::ChinaTimeZone());
//   req.force_types = {fengqiao::v1::FORCE_TYPE_PROPERTY_MANAGER};
//   FENGQIAO_ASSIGN_OR_RETURN(fengqiao::CandidateList list, selector.Candidates(req));
//   // list.candidates[0].member_id() is the best property butler on duty near the grid; an
//   // empty list is an outcome, with every member's reason in list.excluded.
//
// Thread safety: Candidates() is const and safe to call from several threads. The selector shares
// ownership of its Roster (std::shared_ptr).
#ifndef FENGQIAO_FORCE_CANDIDATE_SELECTOR_H_
#define FENGQIAO_FORCE_CANDIDATE_SELECTOR_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "fengqiao/force/roster.h"
#include "fengqiao/time_zone.h"
#include "fengqiao/v1/force.pb.h"

namespace fengqiao {

// Options of a selector.
struct CandidateSelectorOptions {
  // Zone in which shifts are read.
  absl::TimeZone time_zone = ChinaTimeZone();  // Asia/Shanghai
};

// One request for candidates.
struct CandidateRequest {
  // Dispute type of the case (DISPUTE_TYPE_UNSPECIFIED: skill is not considered).
  v1::DisputeType dispute_type = v1::DISPUTE_TYPE_UNSPECIFIED;
  // Grid where the case is. Required.
  std::string grid_code;
  // Where the case is; when unset, the centre of the grid.
  std::optional<v1::LatLng> location;
  // When the case must be taken (for shifts).
  absl::Time at = absl::UnixEpoch();
  // Force types accepted; empty accepts all.
  std::vector<v1::ForceType> force_types;
  // Only members of this team (Team.id); empty accepts every team.
  std::string team_id;
  // Leave out members without the dispute type among their skills.
  bool require_skill = false;
  // Dialect wanted (e.g. "新津话"); members speaking it rank higher among equals.
  std::string dialect;
  // Leave out members farther than this many metres; 0 = no limit.
  double max_distance_m = 0;
  // Member who found the dispute (调排分离: left out by default).
  std::string found_by_member_id;
  // Let the finder mediate anyway (turns 调排分离 off for this request).
  bool allow_finder = false;
  // 调排分离 by role: members of these force types screen and find disputes and never handle
  // them (left out with CANDIDATE_REASON_SCREENING_ROLE, even when their type is requested).
  std::vector<v1::ForceType> screening_force_types;
  // 四格融合: the grid's own police officer (its four-grid team's 警格, inherited from the
  // community) ranks first when a candidate (CANDIDATE_REASON_POLICE_GRID_OFFICER).
  bool prefer_police_grid_officer = false;
  // Members the caller leaves out (e.g. already refused).
  std::vector<std::string> exclude_member_ids;
  // Most candidates returned; 0 = all.
  int limit = 10;
};

// Candidates, best first, and the members left out with their reasons.
struct CandidateList {
  std::vector<v1::Candidate> candidates;
  std::vector<v1::Exclusion> excluded;
};

class CandidateSelector {
 public:
  // Keeps `roster` (shared ownership).
  CandidateSelector(std::shared_ptr<const Roster> roster, CandidateSelectorOptions options);

  // Ranks the members able to take the case. InvalidArgument for a request without grid_code or
  // with a bad location, or a selector built with a null roster; NotFound for an unknown grid. An
  // empty list is a normal outcome, with every member's exclusion reason in `excluded`.
  absl::StatusOr<CandidateList> Candidates(const CandidateRequest& request) const;

 private:
  std::shared_ptr<const Roster> roster_;
  CandidateSelectorOptions options_;
};

// Display name of a reason, e.g. "off shift".
absl::string_view CandidateReasonName(v1::CandidateReason reason);

}  // namespace fengqiao

#endif  // FENGQIAO_FORCE_CANDIDATE_SELECTOR_H_
