#include "fengqiao/mediation/consultation_calendar.h"

#include "absl/strings/str_cat.h"
#include "fengqiao/status_macros.h"

namespace fengqiao {

absl::StatusOr<Consultation> ConsultationCalendar::Next(v1::AreaLevel level,
                                                        absl::Time after) const {
  if (options_.hour < 0 || options_.hour > 23) {
    return absl::InvalidArgumentError(
        absl::StrCat("consultation hour ", options_.hour, " is outside 0..23"));
  }
  absl::Weekday day;
  switch (level) {
    case v1::AREA_LEVEL_GRID:
    case v1::AREA_LEVEL_COMMUNITY:
      day = options_.walk_day;
      break;
    case v1::AREA_LEVEL_STREET:
      day = options_.street_day;
      break;
    case v1::AREA_LEVEL_DISTRICT:
      day = options_.district_day;
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("no consultation is held at level ", v1::AreaLevel_Name(level)));
  }
  const absl::CivilDay today = absl::ToCivilDay(after, options_.time_zone);
  // The meeting this week if it has not started yet, otherwise next week's.
  absl::CivilDay meeting_day = today;
  while (absl::GetWeekday(meeting_day) != day) ++meeting_day;
  absl::Time at = absl::FromCivil(
      absl::CivilHour(meeting_day.year(), meeting_day.month(), meeting_day.day(), options_.hour),
      options_.time_zone);
  if (at < after) {
    meeting_day += 7;
    at = absl::FromCivil(
        absl::CivilHour(meeting_day.year(), meeting_day.month(), meeting_day.day(), options_.hour),
        options_.time_zone);
  }
  Consultation out{level == v1::AREA_LEVEL_GRID ? v1::AREA_LEVEL_COMMUNITY : level, at, ""};
  if (options_.working_calendar != nullptr) {
    // On a public holiday the meeting moves to the next working day, at the same hour.
    FENGQIAO_ASSIGN_OR_RETURN(absl::CivilDay held,
                              options_.working_calendar->NextWorkingDay(meeting_day));
    if (held != meeting_day) {
      out.moved_off = options_.working_calendar->HolidayName(meeting_day);
      out.at =
          absl::FromCivil(absl::CivilHour(held.year(), held.month(), held.day(), options_.hour),
                          options_.time_zone);
    }
  }
  return out;
}

absl::StatusOr<Consultation> ConsultationCalendar::NextAbove(v1::AreaLevel level,
                                                             absl::Time after) const {
  switch (level) {
    case v1::AREA_LEVEL_GRID:
    case v1::AREA_LEVEL_COMMUNITY:
      return Next(v1::AREA_LEVEL_STREET, after);
    case v1::AREA_LEVEL_STREET:
      return Next(v1::AREA_LEVEL_DISTRICT, after);
    default:
      return absl::FailedPreconditionError(absl::StrCat("nothing above ", v1::AreaLevel_Name(level),
                                                        " holds a weekly consultation"));
  }
}

}  // namespace fengqiao
