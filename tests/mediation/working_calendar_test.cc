// The official working days, from the shipped State Council schedules, and the "512" meetings
// that move off public holidays with them.
#include <algorithm>
#include <string>

#include "fengqiao/mediation/consultation_calendar.h"
#include "fengqiao/mediation/working_calendar.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "fengqiao/grid/grid_map.h"
#include "testing/sample_year.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

class Calendar : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(
        calendar_,
        WorkingCalendar::Load(FENGQIAO_SOURCE_DIR "/examples/data/calendar/holidays.textproto"));
  }
  bool Working(int y, int m, int d) { return *calendar_->IsWorkingDay(absl::CivilDay(y, m, d)); }
  std::shared_ptr<const WorkingCalendar> calendar_;
};

TEST_F(Calendar, HolidaysAreOffAndMakeUpWeekendsAreOn) {
  EXPECT_FALSE(Working(2026, 10, 1));   // 国庆节, a Thursday
  EXPECT_FALSE(Working(2026, 2, 16));   // 春节, a Monday
  EXPECT_TRUE(Working(2026, 10, 10));   // make-up Saturday after National Day
  EXPECT_TRUE(Working(2026, 2, 14));    // make-up Saturday before the Spring Festival
  EXPECT_FALSE(Working(2026, 10, 17));  // an ordinary Saturday
  EXPECT_TRUE(Working(2026, 10, 14));   // an ordinary Wednesday
  EXPECT_EQ(calendar_->HolidayName(absl::CivilDay(2025, 1, 29)), "春节");
  EXPECT_EQ(calendar_->HolidayName(absl::CivilDay(2025, 1, 27)), "");
}

TEST_F(Calendar, WorkingDaysAreCountedOnTheOfficialCalendar) {
  // Three working days from Tuesday 29 September 2026: the 30th, then the holiday week, then 8th
  // and 9th October (Thursday, Friday).
  ASSERT_OK_AND_ASSIGN(absl::CivilDay due,
                       calendar_->AddWorkingDays(absl::CivilDay(2026, 9, 29), 3));
  EXPECT_EQ(due, absl::CivilDay(2026, 10, 9));
  // October 2026: 22 weekdays, 5 of them in the National Day holiday, plus one make-up Saturday.
  ASSERT_OK_AND_ASSIGN(int october, calendar_->WorkingDaysBetween(absl::CivilDay(2026, 10, 1),
                                                                  absl::CivilDay(2026, 11, 1)));
  EXPECT_EQ(october, 18);
}

TEST_F(Calendar, AYearWithoutAPublishedScheduleIsAnErrorNotAGuess) {
  EXPECT_THAT(calendar_->IsWorkingDay(absl::CivilDay(2027, 3, 3)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("2027")));
}

TEST_F(Calendar, MeetingOnNationalDayMovesToTheNextWorkingDay) {
  ConsultationCalendarOptions options;
  options.working_calendar = calendar_;
  ConsultationCalendar meetings(options);
  // After Friday 25 September 2026 09:00 the next Friday walk would be 2 October (国庆节): it moves
  // to Thursday 8 October; the Monday street meeting of 5 October moves to the 8th too, and the
  // Tuesday district meeting of 6 October as well.
  const absl::Time after = absl::FromCivil(absl::CivilHour(2026, 9, 26, 12), ChinaTimeZone());
  const absl::Time oct8 = absl::FromCivil(absl::CivilHour(2026, 10, 8, 9), ChinaTimeZone());
  ASSERT_OK_AND_ASSIGN(Consultation walk, meetings.Next(v1::AREA_LEVEL_COMMUNITY, after));
  EXPECT_EQ(walk.at, oct8);
  EXPECT_EQ(walk.moved_off, "国庆节");
  ASSERT_OK_AND_ASSIGN(
      Consultation street,
      meetings.NextAbove(v1::AREA_LEVEL_COMMUNITY,
                         absl::FromCivil(absl::CivilHour(2026, 9, 29, 12), ChinaTimeZone())));
  EXPECT_EQ(street.level, v1::AREA_LEVEL_STREET);
  EXPECT_EQ(street.at, oct8);
  // Without the calendar the weekly rhythm alone would put the walk on the holiday.
  ASSERT_OK_AND_ASSIGN(Consultation naive,
                       ConsultationCalendar({}).Next(v1::AREA_LEVEL_COMMUNITY, after));
  EXPECT_EQ(naive.at, absl::FromCivil(absl::CivilHour(2026, 10, 2, 9), ChinaTimeZone()));
}

TEST(CalendarFile, BadSchedulesAreLocated) {
  EXPECT_THAT(WorkingCalendar::Parse("years { year: 2026 make_up_workdays: \"2026-10-14\" }\n",
                                     "h.textproto"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("h.textproto:1:"), HasSubstr("not a Saturday or Sunday"))));
  EXPECT_THAT(WorkingCalendar::Parse(
                  "years { year: 2026\n holidays { name: \"x\" first_day: \"2026-13-01\" "
                  "last_day: \"2026-10-02\" } }\n",
                  "h.textproto"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("h.textproto:2:"), HasSubstr("is not a date"))));
  EXPECT_THAT(WorkingCalendar::Parse("years { year: 2026 }\nyears { year: 2026 }\n", "h.textproto"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("given twice")));
}

// The sample year's Friday walks (tag "512-walk") are held on the days the calendar gives,
// moved off holidays, and their cases are found by the visited grid's own grid worker.
TEST_F(Calendar, TheSampleYearsFridayWalksAreOnTheCalendarsDaysAndFoundByTheGridsWorker) {
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const GridMap> map,
                       GridMap::Load(FENGQIAO_SOURCE_DIR "/examples/data/grid_map.textproto"));
  ASSERT_OK_AND_ASSIGN(v1::IncidentLog year, testing::LoadSampleMonths(*map));
  ConsultationCalendar calendar({.working_calendar = calendar_});
  const absl::TimeZone tz = ChinaTimeZone();
  int walks = 0, moved = 0;
  for (const v1::Incident& incident : year.incidents()) {
    if (std::find(incident.tags().begin(), incident.tags().end(), "512-walk") ==
        incident.tags().end()) {
      continue;
    }
    ++walks;
    EXPECT_EQ(incident.channel(), v1::CHANNEL_GRID_PATROL) << incident.id();
    ASSERT_OK_AND_ASSIGN(v1::FourGridTeam team, map->TeamOf(incident.grid_code()));
    EXPECT_EQ(incident.found_by_member_id(), team.management_grid_worker()) << incident.id();
    const absl::Time reported = absl::FromUnixSeconds(incident.reported_at().seconds());
    ASSERT_OK_AND_ASSIGN(Consultation walk,
                         calendar.Next(v1::AREA_LEVEL_COMMUNITY, reported - absl::Hours(24 * 7)));
    EXPECT_EQ(absl::ToCivilDay(walk.at, tz), absl::ToCivilDay(reported, tz)) << incident.id();
    EXPECT_GE(reported, walk.at) << incident.id();
    moved += walk.moved_off.empty() ? 0 : 1;
  }
  EXPECT_GT(walks, 13 * 10);
  EXPECT_GT(moved, 0);  // e.g. Friday 2026-10-02, 国庆节, walked on Thursday 10-08
}

}  // namespace
}  // namespace fengqiao
