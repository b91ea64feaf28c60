// The official working days, from the shipped State Council schedules, and the "512" meetings
// that move off public holidays with them.
#include <string>

#include "fengqiao/mediation/consultation_calendar.h"
#include "fengqiao/mediation/working_calendar.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
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

}  // namespace
}  // namespace fengqiao
