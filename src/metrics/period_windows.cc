#include "fengqiao/metrics/period_windows.h"

#include <algorithm>

#include "absl/time/civil_time.h"

namespace fengqiao {
namespace {

absl::Time AddYears(absl::Time t, int years, absl::TimeZone tz) {
  const absl::CivilSecond c = absl::ToCivilSecond(t, tz);
  int day = c.day();
  // Leap-day rule for year-on-year: 29 February maps to 28 February.
  if (c.month() == 2 && day == 29) day = 28;
  return absl::FromCivil(
      absl::CivilSecond(c.year() + years, c.month(), day, c.hour(), c.minute(), c.second()), tz);
}

}  // namespace

PeriodWindows WindowsFor(v1::PeriodKind kind, absl::Time as_of, absl::TimeZone tz) {
  PeriodWindows w;
  w.kind = kind;
  w.end = as_of;
  // The period that holds the instant just before as_of.
  const absl::CivilDay day = absl::ToCivilDay(as_of - absl::Nanoseconds(1), tz);
  absl::CivilDay start_day, prev_start_day;
  switch (kind) {
    case v1::PERIOD_KIND_WEEK_TO_DATE: {
      start_day = day;
      while (absl::GetWeekday(start_day) != absl::Weekday::monday)
        --start_day;  // CompStat: Mon-Sun
      prev_start_day = start_day - 7;
      break;
    }
    case v1::PERIOD_KIND_28_DAYS:
      w.start = as_of - absl::Hours(24 * 28);
      w.pop_start = w.start - absl::Hours(24 * 28);
      w.pop_end = w.start;
      w.yoy_start = AddYears(w.start, -1, tz);
      w.yoy_end = AddYears(w.end, -1, tz);
      return w;
    case v1::PERIOD_KIND_MONTH: {
      start_day = absl::CivilDay(absl::CivilMonth(day));
      prev_start_day = absl::CivilDay(absl::CivilMonth(day) - 1);
      break;
    }
    case v1::PERIOD_KIND_QUARTER: {
      const absl::CivilMonth m(day);
      const absl::CivilMonth q(m.year(), (m.month() - 1) / 3 * 3 + 1);
      start_day = absl::CivilDay(q);
      prev_start_day = absl::CivilDay(q - 3);
      break;
    }
    case v1::PERIOD_KIND_YEAR_TO_DATE: {
      start_day = absl::CivilDay(absl::CivilYear(day));
      prev_start_day = absl::CivilDay(absl::CivilYear(day) - 1);
      break;
    }
    default:  // unspecified: empty windows (CaseMetrics::Create refuses it)
      w.start = w.yoy_start = w.yoy_end = w.pop_start = w.pop_end = as_of;
      return w;
  }
  w.start = absl::FromCivil(start_day, tz);
  w.pop_start = absl::FromCivil(prev_start_day, tz);
  // The previous period, cut to the same length (never past the current period's start).
  w.pop_end = std::min(w.pop_start + (w.end - w.start), w.start);
  w.yoy_start = AddYears(w.start, -1, tz);
  w.yoy_end = AddYears(w.end, -1, tz);
  if (kind == v1::PERIOD_KIND_YEAR_TO_DATE) {
    w.pop_start = w.yoy_start;  // the year before is the only previous period of a YTD
    w.pop_end = w.yoy_end;
  }
  return w;
}

}  // namespace fengqiao
