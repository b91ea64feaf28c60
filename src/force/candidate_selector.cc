#include "fengqiao/force/candidate_selector.h"
#include "fengqiao/vocabulary.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "fengqiao/status_macros.h"

namespace fengqiao {
namespace {

// The community, street and district holding the request's grid, looked up once per request.
struct Neighbourhood {
  std::string grid;
  const v1::Area* levels[3];  // community, street, district (nullptr when absent)

  Neighbourhood(const GridMap& map, absl::string_view grid_code) : grid(grid_code) {
    levels[0] = map.AncestorAt(grid_code, v1::AREA_LEVEL_COMMUNITY);
    levels[1] = map.AncestorAt(grid_code, v1::AREA_LEVEL_STREET);
    levels[2] = map.AncestorAt(grid_code, v1::AREA_LEVEL_DISTRICT);
  }

  // 0 same grid, 1 same community, 2 same street, 3 same district, 4 farther.
  int Distance(const GridMap& map, absl::string_view member_area) const {
    if (member_area == grid) return 0;
    for (int i = 0; i < 3; ++i) {
      if (levels[i] != nullptr && map.IsWithin(member_area, levels[i]->code())) return i + 1;
    }
    return 4;
  }
};

struct Ranked {
  bool skill;
  int area_distance;
  double load;
  bool dialect;
  double distance_m;
  const v1::Member* member;
};

}  // namespace

absl::string_view CandidateReasonName(v1::CandidateReason reason) { return DisplayName(reason); }

CandidateSelector::CandidateSelector(std::shared_ptr<const Roster> roster,
                                     CandidateSelectorOptions options)
    : roster_(std::move(roster)), options_(options) {}

absl::StatusOr<CandidateList> CandidateSelector::Candidates(const CandidateRequest& request) const {
  if (roster_ == nullptr) {
    return absl::InvalidArgumentError("candidate selector: built with a null roster");
  }
  const GridMap& map = roster_->grid_map();
  if (request.grid_code.empty()) {
    return absl::InvalidArgumentError("candidate request: grid_code is empty");
  }
  if (map.Find(request.grid_code) == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("candidate request: grid \"", request.grid_code, "\" is not in the map"));
  }
  v1::LatLng where;
  if (request.location.has_value()) {
    where = *request.location;
    if (!(where.lat_deg() >= -90 && where.lat_deg() <= 90 && where.lng_deg() >= -180 &&
          where.lng_deg() <= 180)) {
      return absl::InvalidArgumentError(absl::StrCat("candidate request: location (",
                                                     where.lat_deg(), ", ", where.lng_deg(),
                                                     ") is not a valid latitude/longitude"));
    }
  } else {
    FENGQIAO_ASSIGN_OR_RETURN(where, map.Center(request.grid_code));
  }
  if (request.max_distance_m < 0 || request.limit < 0) {
    return absl::InvalidArgumentError(
        "candidate request: max_distance_m and limit must not be negative");
  }
  const absl::flat_hash_set<std::string> excluded_ids(request.exclude_member_ids.begin(),
                                                      request.exclude_member_ids.end());
  const Neighbourhood neighbourhood(map, request.grid_code);
  const auto [weekday, minute] = Roster::LocalWeekMinute(request.at, options_.time_zone);
  CandidateList out;
  std::vector<Ranked> ranked;
  for (const v1::Member& m : roster_->proto().members()) {
    auto exclude = [&](v1::CandidateReason reason) {
      v1::Exclusion e;
      e.set_member_id(m.id());
      e.set_reason(reason);
      out.excluded.push_back(std::move(e));
    };
    if (!request.force_types.empty() &&
        std::find(request.force_types.begin(), request.force_types.end(), m.force_type()) ==
            request.force_types.end()) {
      exclude(v1::CANDIDATE_REASON_WRONG_FORCE_TYPE);
      continue;
    }
    if (!request.team_id.empty() && m.team_id() != request.team_id) {
      exclude(v1::CANDIDATE_REASON_OTHER_TEAM);
      continue;
    }
    if (excluded_ids.contains(m.id())) {
      exclude(v1::CANDIDATE_REASON_EXCLUDED);
      continue;
    }
    if (!request.allow_finder && !request.found_by_member_id.empty() &&
        m.id() == request.found_by_member_id) {
      exclude(v1::CANDIDATE_REASON_FOUND_THE_DISPUTE);
      continue;
    }
    if (std::find(request.screening_force_types.begin(), request.screening_force_types.end(),
                  m.force_type()) != request.screening_force_types.end()) {
      exclude(v1::CANDIDATE_REASON_SCREENING_ROLE);
      continue;
    }
    const bool skill =
        request.dispute_type != v1::DISPUTE_TYPE_UNSPECIFIED &&
        std::find(m.skills().begin(), m.skills().end(), request.dispute_type) != m.skills().end();
    if (request.require_skill && !skill) {
      exclude(v1::CANDIDATE_REASON_NO_SKILL);
      continue;
    }
    if (!Roster::OnShiftAt(m, weekday, minute)) {
      exclude(v1::CANDIDATE_REASON_OFF_SHIFT);
      continue;
    }
    if (m.open_cases() >= m.capacity()) {
      exclude(v1::CANDIDATE_REASON_AT_CAPACITY);
      continue;
    }
    v1::LatLng position = m.location();
    if (!m.has_location()) {
      absl::StatusOr<v1::LatLng> center = map.Center(m.home_area_code());
      if (center.ok()) position = *center;
    }
    const double distance = GridMap::DistanceMeters(position, where);
    if (request.max_distance_m > 0 && distance > request.max_distance_m) {
      exclude(v1::CANDIDATE_REASON_OUTSIDE_RADIUS);
      continue;
    }
    const bool dialect =
        !request.dialect.empty() &&
        std::find(m.dialects().begin(), m.dialects().end(), request.dialect) != m.dialects().end();
    ranked.push_back({skill, neighbourhood.Distance(map, m.home_area_code()),
                      static_cast<double>(m.open_cases()) / m.capacity(), dialect, distance, &m});
  }
  // Skill first, then proximity in the hierarchy, then load, then dialect, then metres; the id
  // breaks remaining ties so the order never depends on the roster's order.
  std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    return std::make_tuple(!a.skill, a.area_distance, a.load, !a.dialect, a.distance_m,
                           a.member->id()) < std::make_tuple(!b.skill, b.area_distance, b.load,
                                                             !b.dialect, b.distance_m,
                                                             b.member->id());
  });
  // 四格融合: the grid's own 警格 officer goes first when among the candidates.
  std::string officer;
  if (request.prefer_police_grid_officer) {
    absl::StatusOr<v1::FourGridTeam> team = map.TeamOf(request.grid_code);
    if (team.ok()) officer = team->police_grid_officer();
  }
  if (!officer.empty()) {
    std::stable_partition(ranked.begin(), ranked.end(),
                          [&](const Ranked& r) { return r.member->id() == officer; });
  }
  const size_t n = request.limit == 0 ? ranked.size()
                                      : std::min(ranked.size(), static_cast<size_t>(request.limit));
  for (size_t i = 0; i < n; ++i) {
    const Ranked& r = ranked[i];
    v1::Candidate c;
    c.set_member_id(r.member->id());
    c.set_rank(static_cast<int>(i) + 1);
    c.set_area_distance(r.area_distance);
    c.set_distance_m(r.distance_m);
    c.set_load(r.load);
    c.set_score((r.skill ? 4.0 : 0.0) + (4 - r.area_distance) * 0.5 + (1.0 - r.load) +
                (r.dialect ? 0.25 : 0.0) + 1.0 / (1.0 + r.distance_m / 1000.0));
    if (!officer.empty() && r.member->id() == officer) {
      c.add_reasons(v1::CANDIDATE_REASON_POLICE_GRID_OFFICER);
    }
    if (r.skill) c.add_reasons(v1::CANDIDATE_REASON_SKILL_MATCH);
    if (r.area_distance == 0) c.add_reasons(v1::CANDIDATE_REASON_SAME_GRID);
    if (r.area_distance == 1) c.add_reasons(v1::CANDIDATE_REASON_SAME_COMMUNITY);
    if (r.area_distance == 2) c.add_reasons(v1::CANDIDATE_REASON_SAME_STREET);
    if (r.dialect) c.add_reasons(v1::CANDIDATE_REASON_DIALECT_MATCH);
    out.candidates.push_back(std::move(c));
  }
  return out;
}

}  // namespace fengqiao
