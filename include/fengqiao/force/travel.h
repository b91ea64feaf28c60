// File: fengqiao/force/travel.h
// How a responder gets to an incident (出警方式) and how long the road takes, so that arrival
// times follow where forces are: police in a patrol car, the instant-response and grid teams on
// e-bikes (the usual mount of 专职即时处置队伍 and 网格员 in Zhejiang's towns), everyone else on
// foot. The road is the great-circle distance times a detour factor (streets are not straight
// lines); a set-off time (leaving the station or the post) comes first.
//
//   #include "fengqiao/force/travel.h"
//   FENGQIAO_ASSIGN_OR_RETURN(absl::Duration car,
//                             fengqiao::TravelTime(1500, fengqiao::TravelMode::kCar));
//   // 1.5 km as the crow flies by car: 90 s to set off, 1,950 m of road at 8 m/s.
//   if (car > absl::Minutes(8)) return absl::InternalError("1.5 km is within 8 minutes by car");
//
// Thread safety: pure functions.
#ifndef FENGQIAO_FORCE_TRAVEL_H_
#define FENGQIAO_FORCE_TRAVEL_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "fengqiao/v1/force.pb.h"

namespace fengqiao {

enum class TravelMode { kFoot, kEBike, kCar };

struct TravelOptions {
  // Road distance over straight-line distance.
  double detour = 1.3;
  // Urban average speeds, metres per second: walking, an e-bike in town traffic, a patrol car
  // in town traffic (about 29 km/h).
  double foot_mps = 1.3;
  double ebike_mps = 4.5;
  double car_mps = 8.0;
  // Time to set off: a car leaves the station, an e-bike or a walker leaves the post.
  absl::Duration car_set_off = absl::Seconds(90);
  absl::Duration ebike_set_off = absl::Seconds(45);
  absl::Duration foot_set_off = absl::Seconds(30);
};

// The mode a force type travels in: police by car; comprehensive governance (the instant-
// response teams), grid workers, city management, volunteer police and security guards by
// e-bike; the others (mediators, lawyers, building heads, property butlers, students) on foot.
TravelMode TravelModeOf(v1::ForceType force);

// Set-off time plus the road at the mode's speed for `straight_m` metres as the crow flies.
// InvalidArgument for a distance that is negative, NaN or infinite, or options that are not
// positive and finite.
absl::StatusOr<absl::Duration> TravelTime(double straight_m, TravelMode mode,
                                          const TravelOptions& options = {});

}  // namespace fengqiao

#endif  // FENGQIAO_FORCE_TRAVEL_H_
