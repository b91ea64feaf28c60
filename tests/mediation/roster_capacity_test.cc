// The capacity snapshot routing reads, taken from the roster at a moment: who of a team is on
// shift and how many case slots they have free.
#include "fengqiao/mediation/roster_capacity.h"

#include "gtest/gtest.h"
#include "testing/sample_district.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

TEST(RosterCapacity, TheTeamOnShiftAndItsFreeSlotsFollowTheHour) {
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const GridMap> map,
                       GridMap::Parse(testing::TinyGridMapText(), "tiny.textproto"));
  // Two mediators of one team: a day shift with 1 of 10 cases open, a night shift with none.
  const std::string text =
      testing::TinyRosterText() +
      "teams { id: \"t-m\" name: \"调解队\" force_type: FORCE_TYPE_FULL_TIME_MEDIATOR "
      "area_code: \"d\" }\n"
      "members { id: \"day\" name: \"day\" force_type: FORCE_TYPE_FULL_TIME_MEDIATOR team_id: "
      "\"t-m\" home_area_code: \"s1-c1\" shifts { day: WEEKDAY_WEDNESDAY start_minute: 480 "
      "end_minute: 1200 } open_cases: 1 capacity: 10 }\n"
      "members { id: \"night\" name: \"night\" force_type: FORCE_TYPE_FULL_TIME_MEDIATOR "
      "team_id: \"t-m\" home_area_code: \"s1-c1\" shifts { day: WEEKDAY_WEDNESDAY "
      "start_minute: 1200 end_minute: 1440 } open_cases: 0 capacity: 10 }\n";
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const Roster> roster,
                       Roster::Parse(text, "roster.textproto", map));
  const auto at = [](int hour) {
    return absl::FromCivil(absl::CivilHour(2026, 10, 14, hour), ChinaTimeZone());  // a Wednesday
  };
  // 10:00: the day shift (1 of 10 open) is on, the night shift is not: 9 free slots.
  CapacitySnapshot day = CapacityFromRoster(*roster, {"t-m", "t-nobody"}, at(10));
  EXPECT_TRUE(day["t-m"].on_shift);
  EXPECT_EQ(day["t-m"].free_slots, 9);
  // 22:00: the night shift (0 of 10 open) is on, the day shift is not.
  CapacitySnapshot night = CapacityFromRoster(*roster, {"t-m"}, at(22));
  EXPECT_TRUE(night["t-m"].on_shift);
  EXPECT_EQ(night["t-m"].free_slots, 10);
  // A team nobody belongs to: off shift, no room (its capacity tests fail, the incident moves on).
  EXPECT_FALSE(day["t-nobody"].on_shift);
  EXPECT_EQ(day["t-nobody"].free_slots, 0);
}

}  // namespace
}  // namespace fengqiao
