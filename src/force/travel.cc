#include "fengqiao/force/travel.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace fengqiao {

TravelMode TravelModeOf(v1::ForceType force) {
  switch (force) {
    case v1::FORCE_TYPE_POLICE:
      return TravelMode::kCar;
    case v1::FORCE_TYPE_COMPREHENSIVE_GOVERNANCE:
    case v1::FORCE_TYPE_GRID_WORKER:
    case v1::FORCE_TYPE_CITY_MANAGEMENT:
    case v1::FORCE_TYPE_VOLUNTEER_POLICE:
    case v1::FORCE_TYPE_SECURITY_GUARD:
      return TravelMode::kEBike;
    default:
      return TravelMode::kFoot;
  }
}

absl::StatusOr<absl::Duration> TravelTime(double straight_m, TravelMode mode,
                                          const TravelOptions& options) {
  if (!std::isfinite(straight_m) || straight_m < 0) {
    return absl::InvalidArgumentError(
        "travel time: the distance is negative or not a finite number of metres");
  }
  const auto positive = [](double v) { return std::isfinite(v) && v > 0; };
  if (!positive(options.detour) || !positive(options.foot_mps) || !positive(options.ebike_mps) ||
      !positive(options.car_mps)) {
    return absl::InvalidArgumentError(
        "travel time: detour and speeds must be positive finite numbers");
  }
  double speed = options.foot_mps;
  absl::Duration set_off = options.foot_set_off;
  if (mode == TravelMode::kCar) {
    speed = options.car_mps;
    set_off = options.car_set_off;
  } else if (mode == TravelMode::kEBike) {
    speed = options.ebike_mps;
    set_off = options.ebike_set_off;
  }
  if (set_off < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("travel time: a set-off time is negative");
  }
  return set_off + absl::Seconds(straight_m * options.detour / speed);
}

}  // namespace fengqiao
