// Internal to the library and its tests: the transition function without its short path for
// plain events, so a property test can hold the two to the same answers.
#ifndef FENGQIAO_SRC_CLOSURE_INTERNAL_TRANSITION_INTERNAL_H_
#define FENGQIAO_SRC_CLOSURE_INTERNAL_TRANSITION_INTERNAL_H_

#include "absl/status/statusor.h"
#include "fengqiao/closure/case_loop.h"

namespace fengqiao::closure_internal {

// What Apply(state, event, options) answers, always by the full path (every check of the event's
// content), never by the short path Apply takes for events that only move the case.
absl::StatusOr<LoopState> ApplyByFullPath(const LoopState& state, const LoopEvent& event,
                                          const CaseLoopOptions& options);

}  // namespace fengqiao::closure_internal

#endif  // FENGQIAO_SRC_CLOSURE_INTERNAL_TRANSITION_INTERNAL_H_
