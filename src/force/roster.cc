#include "fengqiao/force/roster.h"
#include "fengqiao/vocabulary.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "fengqiao/status_macros.h"
#include "internal/proto_files.h"
#include "internal/time_util.h"

namespace fengqiao {
namespace {

std::string MemberPath(int i, absl::string_view field = "") {
  return field.empty() ? absl::StrCat("members[", i, "]")
                       : absl::StrCat("members[", i, "].", field);
}
std::string TeamPath(int i, absl::string_view field = "") {
  return field.empty() ? absl::StrCat("teams[", i, "]") : absl::StrCat("teams[", i, "].", field);
}

}  // namespace

absl::string_view ForceTypeName(v1::ForceType type) { return DisplayName(type); }

bool Roster::IsCoreForce(v1::ForceType type) {
  return type == v1::FORCE_TYPE_POLICE || type == v1::FORCE_TYPE_COMPREHENSIVE_GOVERNANCE ||
         type == v1::FORCE_TYPE_CITY_MANAGEMENT || type == v1::FORCE_TYPE_SECURITY_GUARD;
}

Roster::Roster(v1::Roster proto, std::shared_ptr<const GridMap> grid_map)
    : proto_(std::move(proto)), grid_map_(std::move(grid_map)) {}

absl::StatusOr<std::shared_ptr<const Roster>> Roster::Load(
    absl::string_view path, std::shared_ptr<const GridMap> grid_map) {
  std::string content;
  FENGQIAO_RETURN_IF_ERROR(internal::ReadFile(path, &content));
  return Parse(content, path, std::move(grid_map));
}

absl::StatusOr<std::shared_ptr<const Roster>> Roster::Parse(
    absl::string_view content, absl::string_view filename,
    std::shared_ptr<const GridMap> grid_map) {
  v1::Roster proto;
  internal::SourceMap source_map;
  FENGQIAO_RETURN_IF_ERROR(internal::ParseProto(content, filename, &proto, &source_map));
  return Build(std::move(proto), std::move(grid_map), source_map);
}

absl::StatusOr<std::shared_ptr<const Roster>> Roster::Create(
    v1::Roster roster, std::shared_ptr<const GridMap> grid_map) {
  internal::SourceMap source_map;
  FENGQIAO_RETURN_IF_ERROR(internal::CheckFields(roster, source_map));
  return Build(std::move(roster), std::move(grid_map), source_map);
}

absl::StatusOr<std::shared_ptr<const Roster>> Roster::Build(v1::Roster roster,
                                                            std::shared_ptr<const GridMap> grid_map,
                                                            const internal::SourceMap& source_map) {
  if (grid_map == nullptr) return absl::InvalidArgumentError("roster: the grid map is null");
  std::shared_ptr<Roster> out(new Roster(std::move(roster), std::move(grid_map)));
  FENGQIAO_RETURN_IF_ERROR(out->Index(source_map));
  return std::shared_ptr<const Roster>(std::move(out));
}

absl::Status Roster::Index(const internal::SourceMap& source_map) {
  auto error = [&](const std::string& path, absl::string_view what, const auto&... more) {
    return absl::InvalidArgumentError(absl::StrCat(source_map.Where(path), ": ", what, more...));
  };
  for (int i = 0; i < proto_.teams_size(); ++i) {
    const v1::Team& team = proto_.teams(i);
    if (team.id().empty()) return error(TeamPath(i), TeamPath(i), ": team has no id");
    auto [it, inserted] = team_by_id_.emplace(team.id(), i);
    if (!inserted) {
      return error(TeamPath(i, "id"), "duplicate team id \"", team.id(), "\" (first at ",
                   source_map.Where(TeamPath(it->second, "id")), ")");
    }
    if (team.force_type() == v1::FORCE_TYPE_UNSPECIFIED) {
      return error(TeamPath(i), "team \"", team.id(), "\": force_type is not set");
    }
    if (grid_map_->Find(team.area_code()) == nullptr) {
      return error(TeamPath(i, "area_code"), "team \"", team.id(), "\": area_code \"",
                   team.area_code(), "\" is not in grid map \"", grid_map_->proto().name(), "\"");
    }
  }
  for (int i = 0; i < proto_.members_size(); ++i) {
    const v1::Member& m = proto_.members(i);
    if (m.id().empty()) return error(MemberPath(i), MemberPath(i), ": member has no id");
    auto [it, inserted] = member_by_id_.emplace(m.id(), i);
    if (!inserted) {
      return error(MemberPath(i, "id"), "duplicate member id \"", m.id(), "\" (first at ",
                   source_map.Where(MemberPath(it->second, "id")), ")");
    }
    if (m.name().empty()) return error(MemberPath(i), "member \"", m.id(), "\": name is empty");
    if (m.force_type() == v1::FORCE_TYPE_UNSPECIFIED) {
      return error(MemberPath(i), "member \"", m.id(), "\": force_type is not set");
    }
    if (grid_map_->Find(m.home_area_code()) == nullptr) {
      return error(MemberPath(i, "home_area_code"), "member \"", m.id(), "\": home_area_code \"",
                   m.home_area_code(), "\" is not in grid map \"", grid_map_->proto().name(), "\"");
    }
    if (!m.team_id().empty() && team_by_id_.find(m.team_id()) == team_by_id_.end()) {
      return error(MemberPath(i, "team_id"), "member \"", m.id(), "\": team_id \"", m.team_id(),
                   "\" is not a team of the roster");
    }
    for (int s = 0; s < m.skills_size(); ++s) {
      if (m.skills(s) == v1::DISPUTE_TYPE_UNSPECIFIED) {
        return error(absl::StrCat(MemberPath(i, "skills"), "[", s, "]"), "member \"", m.id(),
                     "\": skill ", s, " is DISPUTE_TYPE_UNSPECIFIED");
      }
    }
    for (int s = 0; s < m.shifts_size(); ++s) {
      const v1::Shift& shift = m.shifts(s);
      const std::string path = absl::StrCat(MemberPath(i, "shifts"), "[", s, "]");
      if (shift.day() == v1::WEEKDAY_UNSPECIFIED) {
        return error(path, "member \"", m.id(), "\": shift ", s, " has no day");
      }
      if (shift.start_minute() < 0 || shift.start_minute() >= 1440 ||
          shift.end_minute() <= shift.start_minute() || shift.end_minute() > 2880) {
        return error(path, "member \"", m.id(), "\": shift ", s, " runs from minute ",
                     shift.start_minute(), " to ", shift.end_minute(),
                     "; want 0 <= start < 1440 and start < end <= 2880");
      }
    }
    if (m.open_cases() < 0 || m.capacity() < 0) {
      return error(MemberPath(i), "member \"", m.id(),
                   "\": open_cases and capacity must not be negative");
    }
    if (m.has_location() && !(m.location().lat_deg() >= -90 && m.location().lat_deg() <= 90 &&
                              m.location().lng_deg() >= -180 && m.location().lng_deg() <= 180)) {
      return error(MemberPath(i, "location"), "member \"", m.id(),
                   "\": location is not a valid latitude/longitude");
    }
  }
  // Every member named by a four-grid team (四格融合) of the map must be on the roster.
  for (const v1::Area& area : grid_map_->proto().areas()) {
    const v1::FourGridTeam& t = area.team();
    std::vector<std::pair<absl::string_view, const std::string*>> refs = {
        {"party_grid_lead", &t.party_grid_lead()},
        {"police_grid_officer", &t.police_grid_officer()},
        {"management_grid_worker", &t.management_grid_worker()}};
    for (const std::string& id : t.mass_grid_members()) refs.push_back({"mass_grid_members", &id});
    for (const auto& [field, id] : refs) {
      if (id->empty() || member_by_id_.contains(*id)) continue;
      return absl::InvalidArgumentError(absl::StrCat(
          source_map.filename().empty() ? "<roster>" : source_map.filename(), ": grid map area \"",
          area.code(), "\" team.", field, " names member \"", *id, "\", who is not on the roster"));
    }
  }
  return absl::OkStatus();
}

const v1::Member* Roster::FindMember(absl::string_view id) const {
  auto it = member_by_id_.find(id);
  return it == member_by_id_.end() ? nullptr : &proto_.members(it->second);
}

const v1::Team* Roster::FindTeam(absl::string_view id) const {
  auto it = team_by_id_.find(id);
  return it == team_by_id_.end() ? nullptr : &proto_.teams(it->second);
}

std::vector<const v1::Member*> Roster::TeamMembers(absl::string_view team_id) const {
  std::vector<const v1::Member*> out;
  for (const v1::Member& m : proto_.members()) {
    if (m.team_id() == team_id) out.push_back(&m);
  }
  return out;
}

std::pair<int, int> Roster::LocalWeekMinute(absl::Time at, absl::TimeZone time_zone) {
  const absl::CivilSecond local = absl::ToCivilSecond(at, time_zone);
  return {internal::IsoWeekday(absl::CivilDay(local)), local.hour() * 60 + local.minute()};
}

bool Roster::OnShiftAt(const v1::Member& member, int weekday, int minute_of_day) {
  const int yesterday = weekday == 1 ? 7 : weekday - 1;
  for (const v1::Shift& s : member.shifts()) {
    if (s.day() == weekday && s.start_minute() <= minute_of_day && minute_of_day < s.end_minute()) {
      return true;
    }
    // A shift past midnight (end > 1440) covers the small hours of the next day.
    if (s.day() == yesterday && minute_of_day + 1440 < s.end_minute()) return true;
  }
  return false;
}

bool Roster::OnShift(const v1::Member& member, absl::Time at, absl::TimeZone time_zone) {
  const auto [weekday, minute] = LocalWeekMinute(at, time_zone);
  return OnShiftAt(member, weekday, minute);
}

}  // namespace fengqiao
