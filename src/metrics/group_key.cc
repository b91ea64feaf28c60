#include "metrics/internal/group_key.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "fengqiao/v1/case.pb.h"
#include "fengqiao/v1/force.pb.h"
#include "fengqiao/v1/incident.pb.h"
#include "fengqiao/v1/routing.pb.h"
#include "fengqiao/v1/taxonomy.pb.h"
#include "fengqiao/vocabulary.h"

namespace fengqiao::metrics_internal {
namespace {

std::string AreaLabel(const GridMap& map, uint64_t code) {
  if (code == 0) return "(unknown)";
  return map.proto().areas(static_cast<int>(code - 1)).code();
}

std::string CategoryLabel(uint64_t code) {
  if (code >= 400) return std::string(DisplayName(static_cast<v1::Department>(code - 400)));
  if (code >= 100) {
    return absl::StrCat("dispute: ", DisplayName(static_cast<v1::DisputeType>(code - 100)));
  }
  return std::string(DisplayName(static_cast<v1::IncidentKind>(code)));
}

}  // namespace

GroupKeys::GroupKeys(const GridMap& map, std::vector<v1::Dimension> dimensions)
    : map_(map), dimensions_(std::move(dimensions)) {
  ancestors_.resize(map.size());
  for (int a = 0; a < map.size(); ++a) {
    const std::string& code = map.proto().areas(a).code();
    int i = 0;
    for (v1::AreaLevel level :
         {v1::AREA_LEVEL_COMMUNITY, v1::AREA_LEVEL_STREET, v1::AREA_LEVEL_DISTRICT}) {
      const v1::Area* up = map.AncestorAt(code, level);
      ancestors_[a][i++] = up == nullptr ? -1 : map.AreaIndex(up->code());
    }
  }
}

std::string GroupKeys::Label(uint64_t key, size_t i) const {
  const uint64_t code = CodeAt(key, i);
  switch (dimensions_[i]) {
    case v1::DIMENSION_GRID:
    case v1::DIMENSION_COMMUNITY:
    case v1::DIMENSION_STREET:
    case v1::DIMENSION_DISTRICT:
      return AreaLabel(map_, code);
    case v1::DIMENSION_CATEGORY:
      return CategoryLabel(code);
    case v1::DIMENSION_CHANNEL:
      return std::string(DisplayName(static_cast<v1::Channel>(code)));
    case v1::DIMENSION_TIER:
      return std::string(DisplayName(static_cast<v1::Tier>(code)));
    case v1::DIMENSION_FORCE:
      return std::string(DisplayName(static_cast<v1::ForceType>(code)));
    default:  // refused by CaseMetrics::Create
      break;
  }
  return "";
}

}  // namespace fengqiao::metrics_internal
