#include "metrics/internal/group_key.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "fengqiao/force/roster.h"
#include "fengqiao/incident/incident.h"
#include "fengqiao/routing/rule_set.h"

namespace fengqiao::metrics_internal {
namespace {

std::string AreaLabel(const GridMap& map, uint64_t code) {
  if (code == 0) return "(unknown)";
  return map.proto().areas(static_cast<int>(code - 1)).code();
}

std::string CategoryLabel(uint64_t code) {
  if (code >= 400) return std::string(DepartmentName(static_cast<v1::Department>(code - 400)));
  if (code >= 100) {
    return absl::StrCat("dispute: ", DisputeTypeName(static_cast<v1::DisputeType>(code - 100)));
  }
  return std::string(IncidentKindName(static_cast<v1::IncidentKind>(code)));
}

}  // namespace

GroupKeys::GroupKeys(const GridMap& map, std::vector<Dimension> dimensions)
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

uint64_t GroupKeys::KeyOf(const CaseRecord& r) const {
  uint64_t key = 0;
  const bool known = r.area >= 0 && r.area < static_cast<int32_t>(ancestors_.size());
  for (size_t i = 0; i < dimensions_.size(); ++i) {
    uint64_t code = 0;
    switch (dimensions_[i]) {
      case Dimension::kGrid:
        code = known ? r.area + 1 : 0;
        break;
      case Dimension::kCommunity:
        code = known ? ancestors_[r.area][0] + 1 : 0;
        break;
      case Dimension::kStreet:
        code = known ? ancestors_[r.area][1] + 1 : 0;
        break;
      case Dimension::kDistrict:
        code = known ? ancestors_[r.area][2] + 1 : 0;
        break;
      case Dimension::kCategory:
        code = r.kind == v1::INCIDENT_KIND_DISPUTE      ? 100 + r.dispute_type
               : r.kind == v1::INCIDENT_KIND_NON_POLICE ? 400 + r.department
                                                        : r.kind;
        break;
      case Dimension::kChannel:
        code = r.channel;
        break;
      case Dimension::kTier:
        code = r.tier;
        break;
      case Dimension::kForce:
        code = r.force;
        break;
    }
    key |= (code & 0xffff) << (16 * i);
  }
  return key;
}

std::string GroupKeys::Label(uint64_t key, size_t i) const {
  const uint64_t code = CodeAt(key, i);
  switch (dimensions_[i]) {
    case Dimension::kGrid:
    case Dimension::kCommunity:
    case Dimension::kStreet:
    case Dimension::kDistrict:
      return AreaLabel(map_, code);
    case Dimension::kCategory:
      return CategoryLabel(code);
    case Dimension::kChannel:
      return std::string(ChannelName(static_cast<v1::Channel>(code)));
    case Dimension::kTier:
      return std::string(TierName(static_cast<v1::Tier>(code)));
    case Dimension::kForce:
      return std::string(ForceTypeName(static_cast<v1::ForceType>(code)));
  }
  return "";
}

}  // namespace fengqiao::metrics_internal
