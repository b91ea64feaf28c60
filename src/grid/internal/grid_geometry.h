// Internal: the S2 side of the grid module. Kept in its own source file because AddressSanitizer
// and S2 disagree on Abseil's btree layout; that file builds without ASan.
#ifndef FENGQIAO_SRC_GRID_INTERNAL_GRID_GEOMETRY_H_
#define FENGQIAO_SRC_GRID_INTERNAL_GRID_GEOMETRY_H_

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "fengqiao/v1/grid.pb.h"
#include "internal/proto_files.h"

namespace fengqiao::grid_internal {

// One grid polygon to index.
struct GridShapeInput {
  int area_index;    // index in GridMap::proto().areas()
  std::string path;  // "areas[12].boundary", for error locations
  std::string code;  // area code, for messages
  const v1::Polygon* polygon;
};

class GridGeometry {
 public:
  // Validates the polygons (>= 3 vertices, coordinates in range, no self-intersection, no
  // duplicate vertices) and, when `check_disjoint`, that no two overlap by more than
  // `overlap_tolerance_m2`. Builds the shape index.
  static absl::StatusOr<std::unique_ptr<GridGeometry>> Build(
      const std::vector<GridShapeInput>& inputs, bool check_disjoint, double overlap_tolerance_m2,
      const internal::SourceMap& source_map);

  ~GridGeometry();

  // Area index of the grid holding the point, or -1. When several grids hold it (a map that does
  // not declare grids disjoint), the lowest area index wins, so the answer is deterministic.
  int Locate(double lat_deg, double lng_deg) const;

  // The area-weighted centroid vector of one grid's polygon (S2Polygon::GetCentroid: a point
  // scaled by the polygon's area, so sums of them weight by area); zeros without a polygon.
  std::array<double, 3> WeightedCentroid(int area_index) const;

  // The lat/lng of a sum of weighted centroid vectors; false for a zero vector.
  static bool ToLatLng(const std::array<double, 3>& v, v1::LatLng* out);

  // Great-circle distance in metres.
  static double DistanceMeters(const v1::LatLng& a, const v1::LatLng& b);

 private:
  struct Impl;
  explicit GridGeometry(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fengqiao::grid_internal

#endif  // FENGQIAO_SRC_GRID_INTERNAL_GRID_GEOMETRY_H_
