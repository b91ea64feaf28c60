// Travel times: by force type's mode, set-off plus road; bad distances and options refused.
#include "fengqiao/force/travel.h"

#include <cmath>
#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::StatusIs;

TEST(Travel, PoliceDriveTheInstantResponseTeamsRideMediatorsWalk) {
  EXPECT_EQ(TravelModeOf(v1::FORCE_TYPE_POLICE), TravelMode::kCar);
  EXPECT_EQ(TravelModeOf(v1::FORCE_TYPE_COMPREHENSIVE_GOVERNANCE), TravelMode::kEBike);
  EXPECT_EQ(TravelModeOf(v1::FORCE_TYPE_GRID_WORKER), TravelMode::kEBike);
  EXPECT_EQ(TravelModeOf(v1::FORCE_TYPE_FULL_TIME_MEDIATOR), TravelMode::kFoot);
  EXPECT_EQ(TravelModeOf(v1::FORCE_TYPE_LAWYER), TravelMode::kFoot);
}

TEST(Travel, TheRoadIsTheStraightLineTimesTheDetourAtTheModesSpeedAfterSettingOff) {
  ASSERT_OK_AND_ASSIGN(absl::Duration car, TravelTime(1500, TravelMode::kCar));
  EXPECT_EQ(car, absl::Seconds(90) + absl::Seconds(1500 * 1.3 / 8.0));
  ASSERT_OK_AND_ASSIGN(absl::Duration foot, TravelTime(1500, TravelMode::kFoot));
  ASSERT_OK_AND_ASSIGN(absl::Duration bike, TravelTime(1500, TravelMode::kEBike));
  EXPECT_LT(car, bike);
  EXPECT_LT(bike, foot);
  // Within 8 minutes by car: 2.4 km as the crow flies ((480 - 90) s x 8 m/s / 1.3).
  ASSERT_OK_AND_ASSIGN(absl::Duration near, TravelTime(2300, TravelMode::kCar));
  ASSERT_OK_AND_ASSIGN(absl::Duration far, TravelTime(2500, TravelMode::kCar));
  EXPECT_LE(near, absl::Minutes(8));
  EXPECT_GT(far, absl::Minutes(8));
  ASSERT_OK_AND_ASSIGN(absl::Duration zero, TravelTime(0, TravelMode::kFoot));
  EXPECT_EQ(zero, absl::Seconds(30));
}

TEST(Travel, BadDistancesAndOptionsAreInvalidArgument) {
  for (double bad : {-1.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
    EXPECT_THAT(TravelTime(bad, TravelMode::kCar),
                StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("distance")));
  }
  TravelOptions options;
  options.car_mps = 0;
  EXPECT_THAT(TravelTime(100, TravelMode::kCar, options),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("speeds")));
  options = TravelOptions();
  options.detour = std::nan("");
  EXPECT_THAT(TravelTime(100, TravelMode::kFoot, options),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("detour")));
  options = TravelOptions();
  options.foot_set_off = -absl::Seconds(1);
  EXPECT_THAT(TravelTime(100, TravelMode::kFoot, options),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("set-off")));
}

}  // namespace
}  // namespace fengqiao
