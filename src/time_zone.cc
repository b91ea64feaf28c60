#include "fengqiao/time_zone.h"

namespace fengqiao {

absl::TimeZone ChinaTimeZone() {
  static const absl::TimeZone zone = [] {
    absl::TimeZone tz;
    if (absl::LoadTimeZone("Asia/Shanghai", &tz)) return tz;
    return absl::FixedTimeZone(8 * 3600);
  }();
  return zone;
}

}  // namespace fengqiao
