// Internal: the group a record belongs to, as up to four dimension codes of 16 bits packed in a
// 64-bit key (dimension i in bits 16 i .. 16 i + 15), and the label of each code in a report.
#ifndef FENGQIAO_SRC_METRICS_INTERNAL_GROUP_KEY_H_
#define FENGQIAO_SRC_METRICS_INTERNAL_GROUP_KEY_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "fengqiao/grid/grid_map.h"
#include "fengqiao/metrics/case_metrics.h"
#include "fengqiao/metrics/case_record.h"
#include "fengqiao/v1/incident.pb.h"

namespace fengqiao::metrics_internal {

inline constexpr size_t kMaxDimensions = 4;

class GroupKeys {
 public:
  // `dimensions` has at most kMaxDimensions entries (checked by CaseMetrics::Create).
  GroupKeys(const GridMap& map, std::vector<v1::Dimension> dimensions);

  uint64_t KeyOf(const CaseRecord& r) const;
  // The code of dimension `i` in `key`.
  static uint64_t CodeAt(uint64_t key, size_t i) { return (key >> (16 * i)) & 0xffff; }
  // The report's label of dimension `i` of `key`: an area code, a category, a channel...
  std::string Label(uint64_t key, size_t i) const;

  const std::vector<v1::Dimension>& dimensions() const { return dimensions_; }

 private:
  const GridMap& map_;
  std::vector<v1::Dimension> dimensions_;
  std::vector<std::array<int32_t, 3>> ancestors_;  // per area: community, street, district
};

// Inline: called once per record on the hot path of CaseMetrics::Add.
inline uint64_t GroupKeys::KeyOf(const CaseRecord& r) const {
  uint64_t key = 0;
  const bool known = r.area >= 0 && r.area < static_cast<int32_t>(ancestors_.size());
  for (size_t i = 0; i < dimensions_.size(); ++i) {
    uint64_t code = 0;
    switch (dimensions_[i]) {
      case v1::DIMENSION_GRID:
        code = known ? r.area + 1 : 0;
        break;
      case v1::DIMENSION_COMMUNITY:
        code = known ? ancestors_[r.area][0] + 1 : 0;
        break;
      case v1::DIMENSION_STREET:
        code = known ? ancestors_[r.area][1] + 1 : 0;
        break;
      case v1::DIMENSION_DISTRICT:
        code = known ? ancestors_[r.area][2] + 1 : 0;
        break;
      case v1::DIMENSION_CATEGORY:
        code = r.kind == v1::INCIDENT_KIND_DISPUTE      ? 100 + r.dispute_type
               : r.kind == v1::INCIDENT_KIND_NON_POLICE ? 400 + r.department
                                                        : r.kind;
        break;
      case v1::DIMENSION_CHANNEL:
        code = r.channel;
        break;
      case v1::DIMENSION_TIER:
        code = r.tier;
        break;
      case v1::DIMENSION_FORCE:
        code = r.force;
        break;
      default:  // refused by CaseMetrics::Create
        break;
    }
    key |= (code & 0xffff) << (16 * i);
  }
  return key;
}

}  // namespace fengqiao::metrics_internal

#endif  // FENGQIAO_SRC_METRICS_INTERNAL_GROUP_KEY_H_
