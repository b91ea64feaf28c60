// File: fengqiao/force/roster.h
// A Roster holds the "1+4+N" forces of a station: the four core forces (公安 police, 综治
// comprehensive governance, 城管 city management, 保安 security guards), the N social forces
// (义警, lawyers, full-time mediators, grid workers, building heads, property managers, students,
// delivery riders ...), their teams, members, skills, shifts and current load. It is validated
// against a GridMap: every home area and every four-grid team (四格融合) member must exist.
//
//   #include "fengqiao/time_zone.h"
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::GridMap> map,
//                             fengqiao::GridMap::Load("examples/data/grid_map.textproto"));
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::Roster> roster,
//                             fengqiao::Roster::Load("examples/data/roster.textproto", map));
//   // A roster that does not validate is InvalidArgument naming file:line:col and the member.
//   const fengqiao::v1::Member* m = roster->FindMember("m-0077");  // nullptr when unknown
//   if (m == nullptr) return absl::NotFoundError("no member m-0077");
//   const absl::TimeZone tz = fengqiao::ChinaTimeZone();
//   const absl::Time at = absl::FromCivil(absl::CivilMinute(2026, 11, 25, 10, 0), tz);
//   const bool on_duty = fengqiao::Roster::OnShift(*m, at, tz);
//
// Thread safety: a Roster is immutable after Load/Create; share it across threads. It shares
// ownership of its GridMap (std::shared_ptr), so the map lives as long as the roster.
#ifndef FENGQIAO_FORCE_ROSTER_H_
#define FENGQIAO_FORCE_ROSTER_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/v1/force.pb.h"

namespace fengqiao {

namespace internal {
class SourceMap;
}  // namespace internal

class Roster {
 public:
  // Reads a roster file (text format, or JSON for ".json") and validates it against `grid_map`,
  // which the roster keeps. NotFound for a missing file; InvalidArgument for a file that does not
  // parse or validate (naming file:line:col and the team or member at fault) or a null map.
  static absl::StatusOr<std::shared_ptr<const Roster>> Load(
      absl::string_view path, std::shared_ptr<const GridMap> grid_map);
  // As Load, from text in memory; `filename` names it in errors and picks the format.
  static absl::StatusOr<std::shared_ptr<const Roster>> Parse(
      absl::string_view content, absl::string_view filename,
      std::shared_ptr<const GridMap> grid_map);
  // Validates a roster built in code (errors name the field path).
  static absl::StatusOr<std::shared_ptr<const Roster>> Create(
      v1::Roster roster, std::shared_ptr<const GridMap> grid_map);

  Roster(const Roster&) = delete;
  Roster& operator=(const Roster&) = delete;

  const v1::Roster& proto() const { return proto_; }
  const GridMap& grid_map() const { return *grid_map_; }

  // The member or team with this id, or nullptr.
  const v1::Member* FindMember(absl::string_view id) const;
  const v1::Team* FindTeam(absl::string_view id) const;

  // Members of a team (empty for an unknown team).
  std::vector<const v1::Member*> TeamMembers(absl::string_view team_id) const;

  // Whether the member is on duty at `at`, reading its weekly shifts in `time_zone`.
  static bool OnShift(const v1::Member& member, absl::Time at, absl::TimeZone time_zone);
  // As OnShift, for a local weekday (v1::Weekday numbering, Monday = 1) and minute of the day.
  static bool OnShiftAt(const v1::Member& member, int weekday, int minute_of_day);
  // The local weekday (Monday = 1) and minute of the day of `at` in `time_zone`.
  static std::pair<int, int> LocalWeekMinute(absl::Time at, absl::TimeZone time_zone);

  // Whether a force type is one of the four core forces (公安, 综治, 城管, 保安).
  static bool IsCoreForce(v1::ForceType type);

 private:
  Roster(v1::Roster proto, std::shared_ptr<const GridMap> grid_map);
  static absl::StatusOr<std::shared_ptr<const Roster>> Build(
      v1::Roster roster, std::shared_ptr<const GridMap> grid_map,
      const internal::SourceMap& source_map);
  absl::Status Index(const internal::SourceMap& source_map);

  v1::Roster proto_;
  std::shared_ptr<const GridMap> grid_map_;
  absl::flat_hash_map<std::string, int> member_by_id_;
  absl::flat_hash_map<std::string, int> team_by_id_;
};

// Display name of a force type, e.g. "full-time mediator (专职调解员)".
absl::string_view ForceTypeName(v1::ForceType type);

}  // namespace fengqiao

#endif  // FENGQIAO_FORCE_ROSTER_H_
