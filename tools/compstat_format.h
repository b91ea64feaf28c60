// The CompStat sheet: a metrics report as the text table `fengqiao metrics` and the district
// summary print, one row per group with N, the main rates, resolution percentiles and the period
// comparisons. Presentation, so it lives with the CLI (the Python bindings compile it too).
#ifndef FENGQIAO_TOOLS_COMPSTAT_FORMAT_H_
#define FENGQIAO_TOOLS_COMPSTAT_FORMAT_H_

#include <string>

#include "fengqiao/v1/metrics.pb.h"

namespace fengqiao::tools {

// The report as a CompStat sheet: one row per group with N, the main rates and percentiles,
// and the comparisons.
std::string FormatCompStat(const v1::MetricsReport& report);

// Department scorecards as a sheet (部门考核): one row per department with its orders, each
// indicator (a rate, or the count for supervised and extended orders; "*" when it scored zero
// below its threshold), the score, the rank and the score of the period before; then the red
// and black lists. Titles are the protos' Chinese labels.
std::string FormatScorecards(const v1::ScorecardReport& report);

}  // namespace fengqiao::tools

#endif  // FENGQIAO_TOOLS_COMPSTAT_FORMAT_H_
