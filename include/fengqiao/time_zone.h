// File: fengqiao/time_zone.h
// The one time zone type of the library: every options struct takes an absl::TimeZone, and its
// default is ChinaTimeZone(), the named zone Asia/Shanghai (from tzdata, which
// scripts/install-deps.sh installs), or UTC+8 when the zone database cannot be read; the two
// agree on every date since 1991, when China last observed daylight saving time.
//
//   #include "absl/time/civil_time.h"
//   absl::TimeZone tz = fengqiao::ChinaTimeZone();
//   absl::CivilSecond local = absl::ToCivilSecond(absl::FromUnixSeconds(1791943200), tz);
//   if (local.hour() != 10) return absl::InternalError("2026-10-14 10:00 in Beijing time");
//
// Thread safety: safe to call from any thread; the zone is loaded once.
#ifndef FENGQIAO_TIME_ZONE_H_
#define FENGQIAO_TIME_ZONE_H_

#include "absl/time/time.h"

namespace fengqiao {

// Asia/Shanghai, or a fixed UTC+8 zone when tzdata is missing.
absl::TimeZone ChinaTimeZone();

}  // namespace fengqiao

#endif  // FENGQIAO_TIME_ZONE_H_
