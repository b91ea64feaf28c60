#include "fengqiao/grid/grid_map.h"
#include "fengqiao/vocabulary.h"

#include <array>
#include <deque>
#include <utility>

#include "absl/strings/str_cat.h"
#include "fengqiao/status_macros.h"
#include "grid/internal/grid_geometry.h"
#include "internal/proto_files.h"

namespace fengqiao {
namespace {

std::string AreaPath(int i, absl::string_view field = "") {
  if (field.empty()) return absl::StrCat("areas[", i, "]");
  return absl::StrCat("areas[", i, "].", field);
}

}  // namespace

absl::string_view AreaLevelName(v1::AreaLevel level) { return LabelOf(level).en; }

GridMap::GridMap(v1::GridMap proto) : proto_(std::move(proto)) {}
GridMap::~GridMap() = default;

absl::StatusOr<std::shared_ptr<const GridMap>> GridMap::Load(absl::string_view path,
                                                             const GridMapOptions& options) {
  std::string content;
  FENGQIAO_RETURN_IF_ERROR(internal::ReadFile(path, &content));
  return Parse(content, path, options);
}

absl::StatusOr<std::shared_ptr<const GridMap>> GridMap::Parse(absl::string_view content,
                                                              absl::string_view filename,
                                                              const GridMapOptions& options) {
  v1::GridMap proto;
  internal::SourceMap source_map;
  FENGQIAO_RETURN_IF_ERROR(internal::ParseProto(content, filename, &proto, &source_map));
  return Build(std::move(proto), options, source_map);
}

absl::StatusOr<std::shared_ptr<const GridMap>> GridMap::Create(v1::GridMap map,
                                                               const GridMapOptions& options) {
  internal::SourceMap source_map;
  FENGQIAO_RETURN_IF_ERROR(internal::CheckFields(map, source_map));
  return Build(std::move(map), options, source_map);
}

absl::StatusOr<std::shared_ptr<const GridMap>> GridMap::Build(
    v1::GridMap map, const GridMapOptions& options, const internal::SourceMap& source_map) {
  std::unique_ptr<GridMap> grid_map(new GridMap(std::move(map)));
  FENGQIAO_RETURN_IF_ERROR(grid_map->Index(options, source_map));
  return std::shared_ptr<const GridMap>(std::move(grid_map));
}

absl::Status GridMap::Index(const GridMapOptions& options, const internal::SourceMap& source_map) {
  const int n = proto_.areas_size();
  if (n == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(source_map.Where("areas"), ": grid map has no areas"));
  }
  // Codes: present and unique.
  for (int i = 0; i < n; ++i) {
    const v1::Area& area = proto_.areas(i);
    if (area.code().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(source_map.Where(AreaPath(i)), ": ", AreaPath(i), ": area has no code"));
    }
    auto [it, inserted] = by_code_.emplace(area.code(), i);
    if (!inserted) {
      return absl::InvalidArgumentError(absl::StrCat(
          source_map.Where(AreaPath(i, "code")), ": duplicate area code \"", area.code(),
          "\" (first defined at ", source_map.Where(AreaPath(it->second, "code")), ")"));
    }
    if (area.name().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(source_map.Where(AreaPath(i)), ": area \"",
                                                     area.code(), "\": name is empty"));
    }
    if (area.level() == v1::AREA_LEVEL_UNSPECIFIED) {
      return absl::InvalidArgumentError(absl::StrCat(source_map.Where(AreaPath(i)), ": area \"",
                                                     area.code(), "\": level is not set"));
    }
    const v1::BaseRegister& reg = area.base_register();
    if (reg.standard_addresses() < 0 || reg.actual_residents() < 0 || reg.actual_housing() < 0 ||
        reg.actual_units() < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(source_map.Where(AreaPath(i, "base_register")), ": area \"", area.code(),
                       "\": base register counts must not be negative"));
    }
    // No area holds a billion of anything; bounded counts keep every roll-up (at most the number
    // of areas times 10^9) far inside int64.
    constexpr int64_t kMaxRegisterCount = 1'000'000'000;
    if (reg.standard_addresses() > kMaxRegisterCount ||
        reg.actual_residents() > kMaxRegisterCount || reg.actual_housing() > kMaxRegisterCount ||
        reg.actual_units() > kMaxRegisterCount) {
      return absl::InvalidArgumentError(
          absl::StrCat(source_map.Where(AreaPath(i, "base_register")), ": area \"", area.code(),
                       "\": a base register count above 10^9 (an entry error; roll-ups would "
                       "overflow)"));
    }
  }
  // Parents: exist, no cycles, strictly higher level.
  parent_.assign(n, -1);
  children_.assign(n, {});
  for (int i = 0; i < n; ++i) {
    const v1::Area& area = proto_.areas(i);
    if (area.parent_code().empty()) continue;
    auto it = by_code_.find(area.parent_code());
    if (it == by_code_.end()) {
      return absl::InvalidArgumentError(absl::StrCat(source_map.Where(AreaPath(i, "parent_code")),
                                                     ": area \"", area.code(), "\": parent_code \"",
                                                     area.parent_code(), "\" does not exist"));
    }
    parent_[i] = it->second;
  }
  for (int i = 0; i < n; ++i) {
    // Walk up at most n steps; more means a cycle.
    int steps = 0;
    for (int p = parent_[i]; p >= 0; p = parent_[p]) {
      if (p == i || ++steps > n) {
        return absl::InvalidArgumentError(absl::StrCat(
            source_map.Where(AreaPath(i, "parent_code")), ": area \"", proto_.areas(i).code(),
            "\": parent chain forms a cycle through \"", proto_.areas(i).parent_code(), "\""));
      }
    }
  }
  for (int i = 0; i < n; ++i) {
    if (parent_[i] < 0) continue;
    const v1::Area& area = proto_.areas(i);
    const v1::Area& parent = proto_.areas(parent_[i]);
    if (parent.level() >= area.level()) {
      return absl::InvalidArgumentError(
          absl::StrCat(source_map.Where(AreaPath(i, "parent_code")), ": area \"", area.code(),
                       "\" (", AreaLevelName(area.level()), ") cannot sit under \"", parent.code(),
                       "\" (", AreaLevelName(parent.level()), ")"));
    }
    children_[parent_[i]].push_back(i);
  }
  // Grids: a boundary each, no children.
  std::vector<grid_internal::GridShapeInput> shapes;
  for (int i = 0; i < n; ++i) {
    const v1::Area& area = proto_.areas(i);
    if (area.level() != v1::AREA_LEVEL_GRID) continue;
    if (!children_[i].empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(source_map.Where(AreaPath(children_[i][0], "parent_code")), ": area \"",
                       proto_.areas(children_[i][0]).code(), "\" cannot sit under grid \"",
                       area.code(), "\": a grid is the smallest unit"));
    }
    if (!area.has_boundary()) {
      return absl::InvalidArgumentError(absl::StrCat(source_map.Where(AreaPath(i)), ": grid \"",
                                                     area.code(), "\" has no boundary"));
    }
    shapes.push_back({i, AreaPath(i, "boundary"), area.code(), &area.boundary()});
  }
  FENGQIAO_ASSIGN_OR_RETURN(
      geometry_, grid_internal::GridGeometry::Build(shapes, proto_.grids_disjoint(),
                                                    options.overlap_tolerance_m2, source_map));
  // Centres: each grid's area-weighted centroid vector added to it and every ancestor.
  std::vector<std::array<double, 3>> sums(n, {0, 0, 0});
  for (int i = 0; i < n; ++i) {
    if (proto_.areas(i).level() != v1::AREA_LEVEL_GRID) continue;
    const std::array<double, 3> c = geometry_->WeightedCentroid(i);
    for (int a = i; a >= 0; a = parent_[a]) {
      for (int k = 0; k < 3; ++k) sums[a][k] += c[k];
    }
  }
  centers_.assign(n, v1::LatLng());
  has_center_.assign(n, false);
  for (int i = 0; i < n; ++i) {
    has_center_[i] = grid_internal::GridGeometry::ToLatLng(sums[i], &centers_[i]);
  }
  return absl::OkStatus();
}

const v1::Area* GridMap::Find(absl::string_view code) const {
  auto it = by_code_.find(code);
  return it == by_code_.end() ? nullptr : &proto_.areas(it->second);
}

namespace {
absl::Status UnknownArea(absl::string_view code) {
  return absl::NotFoundError(absl::StrCat("area \"", code, "\" is not in the grid map"));
}
}  // namespace

absl::StatusOr<std::vector<const v1::Area*>> GridMap::Ancestors(absl::string_view code) const {
  auto it = by_code_.find(code);
  if (it == by_code_.end()) return UnknownArea(code);
  std::vector<const v1::Area*> out;
  for (int p = parent_[it->second]; p >= 0; p = parent_[p]) out.push_back(&proto_.areas(p));
  return out;
}

absl::StatusOr<std::vector<const v1::Area*>> GridMap::Descendants(absl::string_view code) const {
  auto it = by_code_.find(code);
  if (it == by_code_.end()) return UnknownArea(code);
  std::vector<const v1::Area*> out;
  std::deque<int> queue(children_[it->second].begin(), children_[it->second].end());
  while (!queue.empty()) {
    const int i = queue.front();
    queue.pop_front();
    out.push_back(&proto_.areas(i));
    queue.insert(queue.end(), children_[i].begin(), children_[i].end());
  }
  return out;
}

absl::StatusOr<std::vector<const v1::Area*>> GridMap::GridsUnder(absl::string_view code) const {
  const v1::Area* self = Find(code);
  if (self == nullptr) return UnknownArea(code);
  if (self->level() == v1::AREA_LEVEL_GRID) return std::vector<const v1::Area*>{self};
  FENGQIAO_ASSIGN_OR_RETURN(std::vector<const v1::Area*> all, Descendants(code));
  std::vector<const v1::Area*> grids;
  for (const v1::Area* a : all) {
    if (a->level() == v1::AREA_LEVEL_GRID) grids.push_back(a);
  }
  return grids;
}

const v1::Area* GridMap::AncestorAt(absl::string_view code, v1::AreaLevel level) const {
  auto it = by_code_.find(code);
  if (it == by_code_.end()) return nullptr;
  for (int i = it->second; i >= 0; i = parent_[i]) {
    if (proto_.areas(i).level() == level) return &proto_.areas(i);
  }
  return nullptr;
}

bool GridMap::IsWithin(absl::string_view code, absl::string_view ancestor) const {
  auto it = by_code_.find(code);
  if (it == by_code_.end()) return false;
  for (int i = it->second; i >= 0; i = parent_[i]) {
    if (proto_.areas(i).code() == ancestor) return true;
  }
  return false;
}

absl::StatusOr<v1::FourGridTeam> GridMap::TeamOf(absl::string_view code) const {
  auto it = by_code_.find(code);
  if (it == by_code_.end()) return UnknownArea(code);
  v1::FourGridTeam team;
  for (int i = it->second; i >= 0; i = parent_[i]) {
    const v1::FourGridTeam& t = proto_.areas(i).team();
    if (team.party_grid_lead().empty()) team.set_party_grid_lead(t.party_grid_lead());
    if (team.police_grid_officer().empty()) team.set_police_grid_officer(t.police_grid_officer());
    if (team.management_grid_worker().empty()) {
      team.set_management_grid_worker(t.management_grid_worker());
    }
    if (team.mass_grid_members().empty()) *team.mutable_mass_grid_members() = t.mass_grid_members();
  }
  return team;
}

absl::StatusOr<v1::BaseRegister> GridMap::RollUp(absl::string_view code) const {
  auto it = by_code_.find(code);
  if (it == by_code_.end()) return UnknownArea(code);
  v1::BaseRegister total;
  std::deque<int> queue{it->second};
  while (!queue.empty()) {
    const int i = queue.front();
    queue.pop_front();
    const v1::BaseRegister& r = proto_.areas(i).base_register();
    total.set_standard_addresses(total.standard_addresses() + r.standard_addresses());
    total.set_actual_residents(total.actual_residents() + r.actual_residents());
    total.set_actual_housing(total.actual_housing() + r.actual_housing());
    total.set_actual_units(total.actual_units() + r.actual_units());
    queue.insert(queue.end(), children_[i].begin(), children_[i].end());
  }
  return total;
}

absl::StatusOr<const v1::Area*> GridMap::Locate(const v1::LatLng& point) const {
  if (!(point.lat_deg() >= -90 && point.lat_deg() <= 90 && point.lng_deg() >= -180 &&
        point.lng_deg() <= 180)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "point (", point.lat_deg(), ", ", point.lng_deg(), ") is not a valid latitude/longitude"));
  }
  const int i = geometry_->Locate(point.lat_deg(), point.lng_deg());
  return i < 0 ? nullptr : &proto_.areas(i);
}

absl::StatusOr<v1::LatLng> GridMap::Center(absl::string_view code) const {
  auto it = by_code_.find(code);
  if (it == by_code_.end()) return UnknownArea(code);
  if (!has_center_[it->second]) {
    return absl::NotFoundError(absl::StrCat("area \"", code, "\" has no grid polygons"));
  }
  return centers_[it->second];
}

int GridMap::AreaIndex(absl::string_view code) const {
  auto it = by_code_.find(code);
  return it == by_code_.end() ? -1 : it->second;
}

int GridMap::CountAt(v1::AreaLevel level) const {
  int count = 0;
  for (const v1::Area& a : proto_.areas()) count += a.level() == level ? 1 : 0;
  return count;
}

double GridMap::DistanceMeters(const v1::LatLng& a, const v1::LatLng& b) {
  return grid_internal::GridGeometry::DistanceMeters(a, b);
}

}  // namespace fengqiao
