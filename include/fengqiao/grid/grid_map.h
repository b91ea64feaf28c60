// File: fengqiao/grid/grid_map.h
// A GridMap is a validated, immutable area hierarchy (city -> district -> street -> community ->
// grid 网格) with grid polygons, the four-grid teams (四格融合) and base registers (一标三实).
// It answers hierarchy queries and finds the grid holding a point through an S2 shape index.
//
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::GridMap> map,
//                             fengqiao::GridMap::Load("examples/data/grid_map.textproto"));
//   // A file that does not load is NotFound; one that does not parse or validate is
//   // InvalidArgument naming file:line:col and the area.
//   fengqiao::v1::LatLng point;
//   point.set_lat_deg(29.931);
//   point.set_lng_deg(122.181);
//   FENGQIAO_ASSIGN_OR_RETURN(const fengqiao::v1::Area* grid, map->Locate(point));
//   if (grid == nullptr) return absl::NotFoundError("outside every grid");  // nullptr: a value
//   // grid->code() == "xc-lc-c1-g1"
//   FENGQIAO_ASSIGN_OR_RETURN(fengqiao::v1::BaseRegister street, map->RollUp("xc-lc"));
//   // street.actual_residents(): everyone registered in the street's grids (一标三实)
//
// Thread safety: a GridMap is immutable after Create/Load; share it freely across threads.
#ifndef FENGQIAO_GRID_GRID_MAP_H_
#define FENGQIAO_GRID_GRID_MAP_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "fengqiao/v1/grid.pb.h"

namespace fengqiao {

namespace grid_internal {
class GridGeometry;
}  // namespace grid_internal
namespace internal {
class SourceMap;
}  // namespace internal

// Options for building a GridMap.
struct GridMapOptions {
  // Two grids of a map that declares grids_disjoint may share edges but not overlap by more than
  // this area, in square metres (absorbs rounding of shared vertices).
  double overlap_tolerance_m2 = 1.0;
};

class GridMap {
 public:
  // Reads a grid map file (protobuf text format, or JSON when the name ends in ".json") and
  // validates it. Errors name file:line:col and the area code at fault.
  static absl::StatusOr<std::shared_ptr<const GridMap>> Load(absl::string_view path,
                                                             const GridMapOptions& options = {});
  // As Load, from text already in memory; `filename` names it in errors and picks the format.
  static absl::StatusOr<std::shared_ptr<const GridMap>> Parse(absl::string_view content,
                                                              absl::string_view filename,
                                                              const GridMapOptions& options = {});
  // Validates a map built in code; errors name the field path (areas[3].parent_code).
  static absl::StatusOr<std::shared_ptr<const GridMap>> Create(v1::GridMap map,
                                                               const GridMapOptions& options = {});

  GridMap(const GridMap&) = delete;
  GridMap& operator=(const GridMap&) = delete;
  ~GridMap();

  // The map as loaded.
  const v1::GridMap& proto() const { return proto_; }

  // The area with this code, or nullptr.
  const v1::Area* Find(absl::string_view code) const;

  // Parent, grandparent ... up to the root, nearest first. NotFound for an unknown code.
  absl::StatusOr<std::vector<const v1::Area*>> Ancestors(absl::string_view code) const;
  // Every area below `code`, breadth first. NotFound for an unknown code.
  absl::StatusOr<std::vector<const v1::Area*>> Descendants(absl::string_view code) const;
  // The grids (level GRID) at or below `code`.
  absl::StatusOr<std::vector<const v1::Area*>> GridsUnder(absl::string_view code) const;
  // The area at `level` that contains `code` (itself if it has that level), or nullptr if none.
  const v1::Area* AncestorAt(absl::string_view code, v1::AreaLevel level) const;
  // Whether `ancestor` is `code` or one of its ancestors.
  bool IsWithin(absl::string_view code, absl::string_view ancestor) const;

  // The four-grid team (四格融合) answering for `code`: fields it leaves empty are inherited from
  // the nearest ancestor that sets them. NotFound for an unknown code.
  absl::StatusOr<v1::FourGridTeam> TeamOf(absl::string_view code) const;

  // Base registers (一标三实) of `code`: its own counts plus those of every area below it.
  absl::StatusOr<v1::BaseRegister> RollUp(absl::string_view code) const;

  // The grid whose polygon holds the point, or nullptr when it lies outside every grid.
  // InvalidArgument for a latitude or longitude out of range.
  absl::StatusOr<const v1::Area*> Locate(const v1::LatLng& point) const;

  // A point inside the area: the centroid of its grid polygons (for the distance of members
  // without a position). NotFound when the area has no grid polygons.
  absl::StatusOr<v1::LatLng> Center(absl::string_view code) const;

  // Number of areas at each level.
  int CountAt(v1::AreaLevel level) const;

  // Dense index of an area (its position in proto().areas()), or -1 for an unknown code. Hot
  // paths (routing) carry this int instead of the code.
  int AreaIndex(absl::string_view code) const;
  // Index of the parent area, -1 for a root. `area_index` must be valid.
  int ParentIndex(int area_index) const { return parent_[area_index]; }
  // Number of areas.
  int size() const { return proto_.areas_size(); }

  // Great-circle distance in metres.
  static double DistanceMeters(const v1::LatLng& a, const v1::LatLng& b);

 private:
  explicit GridMap(v1::GridMap proto);
  static absl::StatusOr<std::shared_ptr<const GridMap>> Build(
      v1::GridMap map, const GridMapOptions& options, const internal::SourceMap& source_map);
  absl::Status Index(const GridMapOptions& options, const internal::SourceMap& source_map);

  v1::GridMap proto_;
  absl::flat_hash_map<std::string, int> by_code_;
  std::vector<int> parent_;                 // index of parent, -1 for roots
  std::vector<std::vector<int>> children_;  // indices of children
  std::unique_ptr<grid_internal::GridGeometry> geometry_;
  std::vector<v1::LatLng> centers_;  // per area; has_center_ says which are set
  std::vector<bool> has_center_;
};

// Display name of a level, e.g. "street".
absl::string_view AreaLevelName(v1::AreaLevel level);

}  // namespace fengqiao

#endif  // FENGQIAO_GRID_GRID_MAP_H_
