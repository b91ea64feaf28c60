// File: fengqiao/mediation/working_calendar.h
// Working days as the State Council publishes them: weekends and public holidays off, make-up
// working days (调休上班) on, read from a data file of the published schedules
// (examples/data/calendar/holidays.textproto, fengqiao.v1.HolidaySchedule). The "512" meetings
// move off holidays with it, and deadlines counted in working days use it. A day in a year the
// file does not hold is an error (FailedPrecondition), never a guess.
//
//   FENGQIAO_ASSIGN_OR_RETURN(
//       std::shared_ptr<const fengqiao::WorkingCalendar> calendar,
//       fengqiao::WorkingCalendar::Load("examples/data/calendar/holidays.textproto"));
//   // National Day 2026: Thursday 1 October is a holiday, Saturday 10 October a make-up workday.
//   FENGQIAO_ASSIGN_OR_RETURN(bool working, calendar->IsWorkingDay(absl::CivilDay(2026, 10, 1)));
//   FENGQIAO_ASSIGN_OR_RETURN(absl::CivilDay next,
//                             calendar->NextWorkingDay(absl::CivilDay(2026, 10, 1)));
//   if (working || next != absl::CivilDay(2026, 10, 8)) return absl::InternalError("国庆节");
//
// Thread safety: immutable after Load/Parse; every method is safe from any thread.
// Errors: Load/Parse: NotFound (no file), InvalidArgument (file:line:col of a date that does not
// parse or lies outside its year's neighbourhood, a holiday that ends before it starts, a make-up
// workday that is not a Saturday or Sunday or falls in a holiday, a year given twice). The
// queries: FailedPrecondition for a day whose year the file does not hold.
#ifndef FENGQIAO_MEDIATION_WORKING_CALENDAR_H_
#define FENGQIAO_MEDIATION_WORKING_CALENDAR_H_

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "fengqiao/v1/calendar.pb.h"

namespace fengqiao {

class WorkingCalendar {
 public:
  static absl::StatusOr<std::shared_ptr<const WorkingCalendar>> Load(absl::string_view path);
  static absl::StatusOr<std::shared_ptr<const WorkingCalendar>> Parse(absl::string_view text,
                                                                      absl::string_view filename);

  // Monday to Friday except public holidays, plus make-up workdays.
  absl::StatusOr<bool> IsWorkingDay(absl::CivilDay day) const;
  // `day` when it is a working day, otherwise the first working day after it.
  absl::StatusOr<absl::CivilDay> NextWorkingDay(absl::CivilDay day) const;
  // The `n`-th working day after `day` (n >= 0; n = 0 is NextWorkingDay(day)).
  absl::StatusOr<absl::CivilDay> AddWorkingDays(absl::CivilDay day, int n) const;
  // Working days in [from, to) (0 when to <= from).
  absl::StatusOr<int> WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) const;
  // The holiday `day` belongs to ("春节"), or "" when it is none.
  std::string HolidayName(absl::CivilDay day) const;

  const v1::HolidaySchedule& proto() const { return proto_; }

 private:
  WorkingCalendar() = default;
  absl::Status Covered(absl::CivilDay day) const;

  v1::HolidaySchedule proto_;
  absl::flat_hash_set<int> years_;
  absl::flat_hash_map<absl::CivilDay, std::string> holidays_;
  absl::flat_hash_set<absl::CivilDay> make_up_;
};

}  // namespace fengqiao

#endif  // FENGQIAO_MEDIATION_WORKING_CALENDAR_H_
