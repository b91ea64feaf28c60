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
//       fengqiao::v1::PERIOD_KIND_MONTH, absl::FromCivil(absl::CivilDay(2026, 11, 1), tz), tz);
//   if (w.pop_start != absl::FromCivil(absl::CivilDay(2026, 9, 1), tz)) {
//     return absl::InternalError("the month before October starts on 1 September");
//   }
//
// Thread safety: pure functions.
#ifndef FENGQIAO_METRICS_PERIOD_WINDOWS_H_
#define FENGQIAO_METRICS_PERIOD_WINDOWS_H_

#include "absl/time/time.h"
#include "fengqiao/v1/metrics.pb.h"

namespace fengqiao {

// A window [start, end) and its two baselines.
struct PeriodWindows {
  v1::PeriodKind kind = v1::PERIOD_KIND_UNSPECIFIED;
  absl::Time start, end;
  absl::Time yoy_start, yoy_end;  // one calendar year earlier (29 Feb -> 28 Feb)
  absl::Time pop_start, pop_end;  // the previous period, cut to the same length
};

// The windows of `kind` (v1::PeriodKind in metrics.proto; its short name, e.g. "28_days", is what
// reports and the CLI write) ending at `as_of` in `tz`. PERIOD_KIND_UNSPECIFIED gives empty windows
// at as_of.
PeriodWindows WindowsFor(v1::PeriodKind kind, absl::Time as_of, absl::TimeZone tz);

}  // namespace fengqiao

#endif  // FENGQIAO_METRICS_PERIOD_WINDOWS_H_
