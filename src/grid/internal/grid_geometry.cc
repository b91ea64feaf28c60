#include "grid/internal/grid_geometry.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "s2/mutable_s2shape_index.h"
#include "s2/s2contains_point_query.h"
#include "s2/s2earth.h"
#include "s2/s2error.h"
#include "s2/s2latlng.h"
#include "s2/s2latlng_rect.h"
#include "s2/s2loop.h"
#include "s2/s2polygon.h"

namespace fengqiao::grid_internal {

struct GridGeometry::Impl {
  std::vector<std::unique_ptr<S2Polygon>> polygons;  // owned; the index points into them
  std::vector<int> area_of_shape;                    // shape id -> area index
  absl::flat_hash_map<int, int> shape_of_area;       // area index -> shape id
  MutableS2ShapeIndex index;
};

GridGeometry::GridGeometry(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GridGeometry::~GridGeometry() = default;

absl::StatusOr<std::unique_ptr<GridGeometry>> GridGeometry::Build(
    const std::vector<GridShapeInput>& inputs, bool check_disjoint, double overlap_tolerance_m2,
    const internal::SourceMap& source_map) {
  auto impl = std::make_unique<Impl>();
  for (const GridShapeInput& in : inputs) {
    const auto& vertices = in.polygon->vertices();
    if (vertices.size() < 3) {
      return absl::InvalidArgumentError(absl::StrCat(source_map.Where(in.path), ": area \"",
                                                     in.code, "\": boundary has ", vertices.size(),
                                                     " vertices; a polygon needs at least 3"));
    }
    std::vector<S2Point> points;
    points.reserve(vertices.size());
    for (int i = 0; i < vertices.size(); ++i) {
      const v1::LatLng& v = vertices[i];
      const std::string vpath = absl::StrCat(in.path, ".vertices[", i, "]");
      if (!std::isfinite(v.lat_deg()) || !std::isfinite(v.lng_deg()) || v.lat_deg() < -90 ||
          v.lat_deg() > 90 || v.lng_deg() < -180 || v.lng_deg() > 180) {
        return absl::InvalidArgumentError(
            absl::StrCat(source_map.Where(vpath), ": area \"", in.code, "\": vertex ", i, " (",
                         v.lat_deg(), ", ", v.lng_deg(), ") is not a valid latitude/longitude"));
      }
      points.push_back(S2LatLng::FromDegrees(v.lat_deg(), v.lng_deg()).ToPoint());
    }
    auto loop = std::make_unique<S2Loop>(points, S2Debug::DISABLE);
    S2Error error;
    if (loop->FindValidationError(&error)) {
      return absl::InvalidArgumentError(absl::StrCat(
          source_map.Where(in.path), ": area \"", in.code, "\": invalid polygon: ", error.text()));
    }
    loop->Normalize();  // either orientation accepted: keep the smaller side
    // Collinear vertices pass S2's checks yet enclose (almost) nothing: no incident would ever
    // fall in such a grid. 2.5e-12 steradians is about 100 m² on the Earth; a real grid covers
    // blocks of buildings.
    constexpr double kMinGridSteradians = 2.5e-12;
    if (loop->GetArea() < kMinGridSteradians) {
      return absl::InvalidArgumentError(
          absl::StrCat(source_map.Where(in.path), ": area \"", in.code,
                       "\": boundary encloses less than 100 m² (collinear vertices?)"));
    }
    auto polygon = std::make_unique<S2Polygon>(std::move(loop), S2Debug::DISABLE);
    const int shape_id = impl->index.Add(std::make_unique<S2Polygon::Shape>(polygon.get()));
    impl->area_of_shape.resize(shape_id + 1, -1);
    impl->area_of_shape[shape_id] = in.area_index;
    impl->shape_of_area[in.area_index] = shape_id;
    impl->polygons.push_back(std::move(polygon));
  }
  impl->index.ForceBuild();

  if (check_disjoint) {
    const double radius = S2Earth::RadiusMeters();
    const double tolerance_sr = overlap_tolerance_m2 / (radius * radius);
    std::vector<S2LatLngRect> bounds;
    for (const auto& p : impl->polygons) bounds.push_back(p->GetRectBound());
    for (size_t a = 0; a < impl->polygons.size(); ++a) {
      for (size_t b = a + 1; b < impl->polygons.size(); ++b) {
        if (!bounds[a].Intersects(bounds[b])) continue;
        S2Polygon overlap;
        overlap.InitToIntersection(*impl->polygons[a], *impl->polygons[b]);
        const double area_sr = overlap.GetArea();
        if (area_sr > tolerance_sr) {
          const GridShapeInput& first = inputs[a];
          const GridShapeInput& second = inputs[b];
          return absl::InvalidArgumentError(absl::StrCat(
              source_map.Where(second.path), ": area \"", second.code, "\" overlaps area \"",
              first.code, "\" (", source_map.Where(first.path), ") by about ",
              static_cast<int64_t>(std::llround(area_sr * radius * radius)),
              " m2, but the map declares grids_disjoint"));
        }
      }
    }
  }
  return std::unique_ptr<GridGeometry>(new GridGeometry(std::move(impl)));
}

int GridGeometry::Locate(double lat_deg, double lng_deg) const {
  const S2Point point = S2LatLng::FromDegrees(lat_deg, lng_deg).ToPoint();
  S2ContainsPointQuery<MutableS2ShapeIndex> query(&impl_->index);
  int best = -1;
  query.VisitContainingShapes(point, [&](S2Shape* shape) {
    const int area = impl_->area_of_shape[shape->id()];
    if (best < 0 || area < best) best = area;
    return true;
  });
  return best;
}

std::array<double, 3> GridGeometry::WeightedCentroid(int area_index) const {
  auto it = impl_->shape_of_area.find(area_index);
  if (it == impl_->shape_of_area.end()) return {0, 0, 0};
  const S2Point c = impl_->polygons[it->second]->GetCentroid();
  return {c.x(), c.y(), c.z()};
}

bool GridGeometry::ToLatLng(const std::array<double, 3>& v, v1::LatLng* out) {
  const S2Point p(v[0], v[1], v[2]);
  if (p.Norm2() == 0) return false;
  const S2LatLng ll(p.Normalize());
  out->set_lat_deg(ll.lat().degrees());
  out->set_lng_deg(ll.lng().degrees());
  return true;
}

double GridGeometry::DistanceMeters(const v1::LatLng& a, const v1::LatLng& b) {
  const S2LatLng pa = S2LatLng::FromDegrees(a.lat_deg(), a.lng_deg());
  const S2LatLng pb = S2LatLng::FromDegrees(b.lat_deg(), b.lng_deg());
  return S2Earth::ToMeters(pa.GetDistance(pb));
}

}  // namespace fengqiao::grid_internal
