#include "fengqiao/mediation/working_calendar.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "fengqiao/status_macros.h"
#include "internal/proto_files.h"

namespace fengqiao {
namespace {

bool Weekend(absl::CivilDay day) {
  const absl::Weekday w = absl::GetWeekday(day);
  return w == absl::Weekday::saturday || w == absl::Weekday::sunday;
}

// An ISO date of `year` or a day either side of it (a holiday may run across New Year).
absl::StatusOr<absl::CivilDay> ParseDay(const std::string& text, int year,
                                        const std::string& where) {
  absl::CivilDay day;
  if (text.size() != 10 || !absl::ParseCivilTime(text, &day)) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": \"", text, "\" is not a date (YYYY-MM-DD)"));
  }
  if (day.year() < year - 1 || day.year() > year + 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": ", text, " does not belong to the schedule of ", year));
  }
  return day;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const WorkingCalendar>> WorkingCalendar::Load(
    absl::string_view path) {
  std::string text;
  FENGQIAO_RETURN_IF_ERROR(internal::ReadFile(path, &text));
  return Parse(text, path);
}

absl::StatusOr<std::shared_ptr<const WorkingCalendar>> WorkingCalendar::Parse(
    absl::string_view text, absl::string_view filename) {
  std::shared_ptr<WorkingCalendar> out(new WorkingCalendar());
  internal::SourceMap map;
  FENGQIAO_RETURN_IF_ERROR(internal::ParseProto(text, filename, &out->proto_, &map));
  for (int y = 0; y < out->proto_.years_size(); ++y) {
    const v1::HolidayYear& year = out->proto_.years(y);
    const std::string path = absl::StrCat("years[", y, "]");
    if (year.year() < 2000 || year.year() > 2100) {
      return absl::InvalidArgumentError(absl::StrCat(map.Where(path + ".year"), ": year ",
                                                     year.year(), " is outside 2000..2100"));
    }
    if (!out->years_.insert(year.year()).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          map.Where(path + ".year"), ": the schedule of ", year.year(), " is given twice"));
    }
    for (int h = 0; h < year.holidays_size(); ++h) {
      const v1::Holiday& holiday = year.holidays(h);
      const std::string hp = absl::StrCat(path, ".holidays[", h, "]");
      FENGQIAO_ASSIGN_OR_RETURN(absl::CivilDay first, ParseDay(holiday.first_day(), year.year(),
                                                               map.Where(hp + ".first_day")));
      FENGQIAO_ASSIGN_OR_RETURN(absl::CivilDay last, ParseDay(holiday.last_day(), year.year(),
                                                              map.Where(hp + ".last_day")));
      if (last < first || last - first > 14) {
        return absl::InvalidArgumentError(absl::StrCat(
            map.Where(hp), ": holiday \"", holiday.name(), "\" runs from ", holiday.first_day(),
            " to ", holiday.last_day(), " (it must end after it starts, within 15 days)"));
      }
      for (absl::CivilDay d = first; d <= last; ++d) out->holidays_[d] = holiday.name();
    }
    for (int m = 0; m < year.make_up_workdays_size(); ++m) {
      const std::string where = map.Where(absl::StrCat(path, ".make_up_workdays[", m, "]"));
      FENGQIAO_ASSIGN_OR_RETURN(absl::CivilDay day,
                                ParseDay(year.make_up_workdays(m), year.year(), where));
      if (!Weekend(day)) {
        return absl::InvalidArgumentError(absl::StrCat(
            where, ": make-up workday ", year.make_up_workdays(m), " is not a Saturday or Sunday"));
      }
      out->make_up_.insert(day);
    }
  }
  for (const absl::CivilDay& day : out->make_up_) {
    if (out->holidays_.contains(day)) {
      return absl::InvalidArgumentError(absl::StrCat(filename, ": ", absl::FormatCivilTime(day),
                                                     " is both a holiday and a make-up workday"));
    }
  }
  return std::shared_ptr<const WorkingCalendar>(std::move(out));
}

absl::Status WorkingCalendar::Covered(absl::CivilDay day) const {
  if (years_.contains(static_cast<int>(day.year()))) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("the holiday schedule of ", day.year(),
                   " is not in the working calendar (add it from the State Council's notice)"));
}

absl::StatusOr<bool> WorkingCalendar::IsWorkingDay(absl::CivilDay day) const {
  FENGQIAO_RETURN_IF_ERROR(Covered(day));
  if (make_up_.contains(day)) return true;
  if (holidays_.contains(day)) return false;
  return !Weekend(day);
}

absl::StatusOr<absl::CivilDay> WorkingCalendar::NextWorkingDay(absl::CivilDay day) const {
  for (int i = 0; i < 40; ++i, ++day) {  // no run of days off is longer than a few weeks
    FENGQIAO_ASSIGN_OR_RETURN(bool working, IsWorkingDay(day));
    if (working) return day;
  }
  return absl::InternalError("no working day within 40 days");
}

absl::StatusOr<absl::CivilDay> WorkingCalendar::AddWorkingDays(absl::CivilDay day, int n) const {
  if (n < 0) return absl::InvalidArgumentError("AddWorkingDays: n must not be negative");
  FENGQIAO_ASSIGN_OR_RETURN(absl::CivilDay at, NextWorkingDay(day));
  for (int i = 0; i < n; ++i) {
    FENGQIAO_ASSIGN_OR_RETURN(at, NextWorkingDay(at + 1));
  }
  return at;
}

absl::StatusOr<int> WorkingCalendar::WorkingDaysBetween(absl::CivilDay from,
                                                        absl::CivilDay to) const {
  int n = 0;
  for (absl::CivilDay d = from; d < to; ++d) {
    FENGQIAO_ASSIGN_OR_RETURN(bool working, IsWorkingDay(d));
    n += working ? 1 : 0;
  }
  return n;
}

std::string WorkingCalendar::HolidayName(absl::CivilDay day) const {
  const auto it = holidays_.find(day);
  return it == holidays_.end() ? "" : it->second;
}

}  // namespace fengqiao
