// Internal: conversions between google.protobuf.Timestamp / Duration and absl::Time / Duration.
#ifndef FENGQIAO_SRC_INTERNAL_TIME_UTIL_H_
#define FENGQIAO_SRC_INTERNAL_TIME_UTIL_H_

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace fengqiao::internal {

inline absl::Time ToTime(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

inline google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t seconds = absl::ToUnixSeconds(t);
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>((t - absl::FromUnixSeconds(seconds)) / absl::Nanoseconds(1)));
  return ts;
}

// ISO weekday number of a day: Monday = 1 ... Sunday = 7 (the numbering of v1::Weekday).
inline int IsoWeekday(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday:
      return 1;
    case absl::Weekday::tuesday:
      return 2;
    case absl::Weekday::wednesday:
      return 3;
    case absl::Weekday::thursday:
      return 4;
    case absl::Weekday::friday:
      return 5;
    case absl::Weekday::saturday:
      return 6;
    case absl::Weekday::sunday:
      return 7;
  }
  return 0;
}

inline absl::Duration ToDuration(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

inline google::protobuf::Duration ToProtoDuration(absl::Duration d) {
  google::protobuf::Duration out;
  const int64_t seconds = absl::IDivDuration(d, absl::Seconds(1), &d);
  out.set_seconds(seconds);
  out.set_nanos(static_cast<int32_t>(d / absl::Nanoseconds(1)));
  return out;
}

}  // namespace fengqiao::internal

#endif  // FENGQIAO_SRC_INTERNAL_TIME_UTIL_H_
