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

}  // namespace fengqiao::metrics_internal

#endif  // FENGQIAO_SRC_METRICS_INTERNAL_GROUP_KEY_H_
