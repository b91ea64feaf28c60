// File: fengqiao/closure/work_order_policy.h
// A district's rules of work for orders (工单) as data: returns before arbitration, extensions
// (延期) and their caps, and how supervision (督办) climbs (a circular N working days past the due
// date, 提级督办 after N rounds, the bodies in order). Read from a v1::WorkOrderPolicy text file
// and laid over CaseLoopOptions.
//
//   FENGQIAO_ASSIGN_OR_RETURN(
//       fengqiao::v1::WorkOrderPolicy policy,
//       fengqiao::LoadWorkOrderPolicy("examples/data/work_orders.textproto"));
//   fengqiao::CaseLoopOptions options = fengqiao::WithWorkOrderPolicy({}, policy);
//   if (options.supervision_bodies.empty()) return absl::InternalError("bodies are read");
//
// Thread safety: functions of their arguments.
// Errors: LoadWorkOrderPolicy: NotFound (no file), InvalidArgument naming file:line:col and the
// field for a value out of range (max_returns 0..100, max_extensions 0..127,
// max_extension_working_days 1..127, circular_after_working_days 0..60,
// supervision_after_rounds 1..100, 1 to 16 supervision bodies, each named once), for an unknown
// field or a malformed file.
#ifndef FENGQIAO_CLOSURE_WORK_ORDER_POLICY_H_
#define FENGQIAO_CLOSURE_WORK_ORDER_POLICY_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/v1/case.pb.h"

namespace fengqiao {

// Reads and checks a policy file.
absl::StatusOr<v1::WorkOrderPolicy> LoadWorkOrderPolicy(absl::string_view path);
// As above from text, named `filename` in messages.
absl::StatusOr<v1::WorkOrderPolicy> ParseWorkOrderPolicy(absl::string_view text,
                                                         absl::string_view filename);

// `base` with every rule the policy sets (unset fields keep base's).
CaseLoopOptions WithWorkOrderPolicy(CaseLoopOptions base, const v1::WorkOrderPolicy& policy);

// The closure loop's rules of the district whose data folder is `dir`: its public holidays
// (DIR/calendar/holidays.textproto, or `calendar_path` when not empty) for working-day clocks and
// the "512" meetings, and its rules of work for orders (DIR/work_orders.textproto), each when
// present; the library's defaults for what is missing. What records, stores and replays a
// district's cases (the main job, its store, its briefings) uses the same rules. Errors of either
// file as they come (NotFound for a `calendar_path` that does not exist).
absl::StatusOr<std::shared_ptr<const CaseLoopOptions>> LoadDistrictRules(
    absl::string_view dir, absl::string_view calendar_path = "");

}  // namespace fengqiao

#endif  // FENGQIAO_CLOSURE_WORK_ORDER_POLICY_H_
