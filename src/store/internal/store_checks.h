// Internal: checks shared by the stores.
#ifndef FENGQIAO_SRC_STORE_INTERNAL_STORE_CHECKS_H_
#define FENGQIAO_SRC_STORE_INTERNAL_STORE_CHECKS_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "fengqiao/v1/case.pb.h"

namespace fengqiao::store_internal {

// A case may be saved when it has an id, its events are numbered 1..n with their case id, and it
// keeps every event already stored (`stored` of them).
inline absl::Status CheckContinues(const v1::Case& c, int64_t stored) {
  if (c.id().empty()) return absl::InvalidArgumentError("case has no id");
  for (int i = 0; i < c.events_size(); ++i) {
    if (c.events(i).seq() != i + 1 || c.events(i).case_id() != c.id()) {
      return absl::InvalidArgumentError(
          absl::StrCat("case \"", c.id(), "\": event ", i + 1, " has seq ", c.events(i).seq(),
                       " and case id \"", c.events(i).case_id(), "\""));
    }
  }
  if (c.events_size() < stored) {
    return absl::FailedPreconditionError(
        absl::StrCat("case \"", c.id(), "\": the store holds ", stored, " events, the case only ",
                     c.events_size(), " (saved from a stale copy?)"));
  }
  return absl::OkStatus();
}

}  // namespace fengqiao::store_internal

#endif  // FENGQIAO_SRC_STORE_INTERNAL_STORE_CHECKS_H_
