// The main job's account of how the month's cases followed the station's rules of work (issue
// 11): the ladder and its overrides, clocks from the instruction, co-handlers, levels and the
// "512" meetings, 调排分离, returns, revisits and mediation outcomes. Read from the cases as the
// loop recorded them. Tool code, not library.
#ifndef FENGQIAO_TOOLS_CASE_RULES_REPORT_H_
#define FENGQIAO_TOOLS_CASE_RULES_REPORT_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/mediation/consultation_calendar.h"
#include "fengqiao/store/case_store.h"

namespace fengqiao::tools {

// Prints the account for the cases of `store` as they stand at `as_of`; the agenda of the first
// street meeting after `as_of` is listed per street.
absl::Status PrintCaseRules(const CaseStore& store, const GridMap& grid_map, absl::Time as_of,
                            const ConsultationCalendar& calendar);

}  // namespace fengqiao::tools

#endif  // FENGQIAO_TOOLS_CASE_RULES_REPORT_H_
