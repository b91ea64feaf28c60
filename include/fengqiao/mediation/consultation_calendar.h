// File: fengqiao/mediation/consultation_calendar.h
// The "512" weekly rhythm (新城): every Friday (5) the street's leaders walk the villages and
// grids with the grid teams and collect what people raise; every Monday (1) the street consults
// on what the communities could not settle; every Tuesday (2) the district consults on what the
// streets could not settle. A case a level cannot close waits for the next consultation of the
// level above. Days and hour are configurable; time is passed in. With the official working
// calendar, a meeting that falls on a public holiday moves to the next working day.
//
//   fengqiao::ConsultationCalendar calendar({});
//   const absl::Time now = absl::FromUnixSeconds(1791943200);  // Wed 2026-10-14 10:00 +08
//   FENGQIAO_ASSIGN_OR_RETURN(fengqiao::Consultation next,
//                             calendar.NextAbove(fengqiao::v1::AREA_LEVEL_COMMUNITY, now));
//   // The street's Monday meeting: 2026-10-19 09:00 +08.
//   if (next.level != fengqiao::v1::AREA_LEVEL_STREET ||
//       next.at != absl::FromUnixSeconds(1791943200 + 5 * 86400 - 3600)) {
//     return absl::InternalError("not the street's Monday meeting");
//   }
//   return absl::OkStatus();
//
// Errors: InvalidArgument for a level without meetings or an hour outside 0..23;
// FailedPrecondition above the district, or for a day the working calendar does not hold.
//
// Thread safety: immutable; const methods are safe from any thread.
#ifndef FENGQIAO_MEDIATION_CONSULTATION_CALENDAR_H_
#define FENGQIAO_MEDIATION_CONSULTATION_CALENDAR_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "fengqiao/mediation/working_calendar.h"
#include "fengqiao/time_zone.h"
#include "fengqiao/v1/grid.pb.h"
#include "fengqiao/v1/routing.pb.h"

namespace fengqiao {

struct ConsultationCalendarOptions {
  // Friday walk of the street's leaders through the grids (走访, 收集社情民意).
  absl::Weekday walk_day = absl::Weekday::friday;
  // Street-level consultation (街道会商) on what communities could not settle.
  absl::Weekday street_day = absl::Weekday::monday;
  // District-level consultation (区/委层面会商) on what streets could not settle.
  absl::Weekday district_day = absl::Weekday::tuesday;
  // Local hour the meetings start.
  int hour = 9;
  // Zone of the calendar.
  absl::TimeZone time_zone = ChinaTimeZone();  // Asia/Shanghai
  // The official working days. With one, a meeting that falls on a public holiday moves to the
  // next working day (a make-up Saturday included); a day in a year the calendar does not hold
  // is FailedPrecondition. Without one, the weekly rhythm ignores holidays.
  std::shared_ptr<const WorkingCalendar> working_calendar;
};

// A meeting: the level that holds it and when it starts.
struct Consultation {
  v1::AreaLevel level = v1::AREA_LEVEL_UNSPECIFIED;
  absl::Time at;
  // The holiday it was moved off ("国庆节"), or "" when it is on its usual weekday.
  std::string moved_off;
};

// The level that holds a case at `tier` in the "512" rhythm: the community for what the grid,
// its mediators, its community police and the station's lawyers settle (mediator, community
// police, police dispatch, 警律联调); the street for 大调解 at its 综治中心 and matters diverted to
// departments; the district for court referral (共享法庭). UNSPECIFIED for an unrouted case.
// What a level cannot settle waits for the next meeting of the level above (NextAbove). Inline:
// the closure loop's transition function calls it on every triage and escalation.
inline v1::AreaLevel HandlingLevel(v1::Tier tier) {
  switch (tier) {
    case v1::TIER_MEDIATOR:
    case v1::TIER_COMMUNITY_POLICE:
    case v1::TIER_POLICE_DISPATCH:
    case v1::TIER_LAWYER:
      return v1::AREA_LEVEL_COMMUNITY;
    case v1::TIER_JOINT_MEDIATION:
    case v1::TIER_DEPARTMENT_DIVERSION:
      return v1::AREA_LEVEL_STREET;
    case v1::TIER_COURT_REFERRAL:
      return v1::AREA_LEVEL_DISTRICT;
    default:
      return v1::AREA_LEVEL_UNSPECIFIED;
  }
}

class ConsultationCalendar {
 public:
  explicit ConsultationCalendar(ConsultationCalendarOptions options) : options_(options) {}

  // The first meeting of `level` starting at or after `after` (GRID and COMMUNITY: the Friday
  // walk; STREET: Monday; DISTRICT: Tuesday). InvalidArgument for CITY or an unspecified level,
  // or an hour outside 0..23.
  absl::StatusOr<Consultation> Next(v1::AreaLevel level, absl::Time after) const;

  // Where a case that `level` could not close waits: the next meeting of the level above
  // (grid or community -> street, street -> district). FailedPrecondition above the district.
  absl::StatusOr<Consultation> NextAbove(v1::AreaLevel level, absl::Time after) const;

 private:
  ConsultationCalendarOptions options_;
};

}  // namespace fengqiao

#endif  // FENGQIAO_MEDIATION_CONSULTATION_CALENDAR_H_
