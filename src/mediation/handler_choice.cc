#include "fengqiao/mediation/handler_choice.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "fengqiao/status_macros.h"

namespace fengqiao {

v1::ForceType DefaultForceFor(v1::Tier tier) {
  switch (tier) {
    case v1::TIER_MEDIATOR:
      return v1::FORCE_TYPE_FULL_TIME_MEDIATOR;
    case v1::TIER_LAWYER:
      return v1::FORCE_TYPE_LAWYER;
    case v1::TIER_COMMUNITY_POLICE:
    case v1::TIER_JOINT_MEDIATION:
    case v1::TIER_POLICE_DISPATCH:
    case v1::TIER_COURT_REFERRAL:
      return v1::FORCE_TYPE_POLICE;
    default:
      return v1::FORCE_TYPE_UNSPECIFIED;
  }
}

namespace {

// The request for a member of `force` to work on `incident` at `at`, as the options say.
CandidateRequest RequestFor(const v1::Incident& incident, v1::ForceType force, absl::Time at,
                            const HandlerChoiceOptions& options) {
  CandidateRequest request;
  request.dispute_type = incident.dispute_type();
  request.grid_code = incident.grid_code();
  if (incident.has_location()) request.location = incident.location();
  request.at = at;
  if (force != v1::FORCE_TYPE_UNSPECIFIED) request.force_types = {force};
  request.found_by_member_id = incident.found_by_member_id();
  request.allow_finder = !options.separate_finder;
  request.screening_force_types = options.screening_forces;
  request.prefer_police_grid_officer =
      options.police_grid_officer_first && force == v1::FORCE_TYPE_POLICE;
  request.limit = options.keep;
  return request;
}

// The best candidate of the request, or why there is none.
absl::StatusOr<HandlerChoice> Choose(const CandidateSelector& selector,
                                     const CandidateRequest& request) {
  HandlerChoice out;
  FENGQIAO_ASSIGN_OR_RETURN(CandidateList list, selector.Candidates(request));
  out.candidates = std::move(list.candidates);
  if (!out.candidates.empty()) {
    out.member_id = out.candidates.front().member_id();
    return out;
  }
  std::map<std::string, int> reasons;
  for (const v1::Exclusion& e : list.excluded) {
    if (e.reason() == v1::CANDIDATE_REASON_WRONG_FORCE_TYPE ||
        e.reason() == v1::CANDIDATE_REASON_OTHER_TEAM) {
      continue;
    }
    ++reasons[std::string(CandidateReasonName(e.reason()))];
  }
  std::vector<std::string> parts;
  for (const auto& [reason, n] : reasons) parts.push_back(absl::StrCat(n, " ", reason));
  out.shortfall = parts.empty()
                      ? absl::StrCat("nobody of the requested force",
                                     request.team_id.empty() ? "" : " and team", " on the roster")
                      : absl::StrCat("nobody available: ", absl::StrJoin(parts, ", "));
  return out;
}

}  // namespace

absl::StatusOr<HandlerChoice> ChooseHandler(const CandidateSelector& selector,
                                            const v1::Incident& incident,
                                            const v1::Decision& decision, absl::Time at,
                                            const HandlerChoiceOptions& options) {
  const v1::Tier tier = decision.action().tier();
  if (tier == v1::TIER_DEPARTMENT_DIVERSION &&
      decision.action().target_force_type() == v1::FORCE_TYPE_UNSPECIFIED) {
    return HandlerChoice();  // the department handles it
  }
  const v1::ForceType force = decision.action().target_force_type() != v1::FORCE_TYPE_UNSPECIFIED
                                  ? decision.action().target_force_type()
                                  : DefaultForceFor(tier);
  CandidateRequest request = RequestFor(incident, force, at, options);
  request.team_id = decision.action().target_team_id();
  return Choose(selector, request);
}

absl::StatusOr<HandlerChoice> ChooseCoHandler(const CandidateSelector& selector,
                                              const v1::Incident& incident, v1::ForceType force,
                                              absl::string_view lead_member_id, absl::Time at,
                                              const HandlerChoiceOptions& options) {
  if (force == v1::FORCE_TYPE_UNSPECIFIED || !v1::ForceType_IsValid(force)) {
    return absl::InvalidArgumentError(
        absl::StrCat("co-handler force: ", static_cast<int>(force), " is not a force type"));
  }
  CandidateRequest request = RequestFor(incident, force, at, options);
  if (!lead_member_id.empty()) request.exclude_member_ids.emplace_back(lead_member_id);
  return Choose(selector, request);
}

}  // namespace fengqiao
