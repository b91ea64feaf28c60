// File: fengqiao/metrics/period_windows.h
// The windows of a CompStat comparison: the current period ending at `as_of`, the same period
// one calendar year earlier (同比, year-on-year) and the period before it (环比,
// period-on-period), in a time zone. Weeks run Monday to Sunday; month, quarter and year start
// on the calendar boundary of the period holding the instant before `as_of`; year-on-year maps
// 29 February to 28 February.
//
//   #include "absl/time/civil_time.h"
//   #include "fengqiao/time_zone.h"
//   const absl::TimeZone tz = fengqiao::ChinaTimeZone();
//   const fengqiao::PeriodWindows w = fengqiao::WindowsFor(
//       fengqiao::PeriodKind::kMonth, absl::FromCivil(absl::CivilDay(2026, 11, 1), tz), tz);
//   if (w.pop_start != absl::FromCivil(absl::CivilDay(2026, 9, 1), tz)) {
//     return absl::InternalError("the month before October starts on 1 September");
//   }
//
// Thread safety: pure functions.
#ifndef FENGQIAO_METRICS_PERIOD_WINDOWS_H_
#define FENGQIAO_METRICS_PERIOD_WINDOWS_H_

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace fengqiao {

// Periods compared (CompStat): each ends at as_of; week, month, quarter and year start on the
// calendar boundary of the period that holds the instant before as_of.
enum class PeriodKind { kWeekToDate, kDays28, kMonth, kQuarter, kYearToDate };

// A window [start, end) and its two baselines.
struct PeriodWindows {
  PeriodKind kind;
  absl::Time start, end;
  absl::Time yoy_start, yoy_end;  // one calendar year earlier (29 Feb -> 28 Feb)
  absl::Time pop_start, pop_end;  // the previous period, cut to the same length
};

// The windows of `kind` ending at `as_of` in `tz`.
PeriodWindows WindowsFor(PeriodKind kind, absl::Time as_of, absl::TimeZone tz);

absl::string_view PeriodKindName(PeriodKind k);

}  // namespace fengqiao

#endif  // FENGQIAO_METRICS_PERIOD_WINDOWS_H_
