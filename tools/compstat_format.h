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

}  // namespace fengqiao::tools

#endif  // FENGQIAO_TOOLS_COMPSTAT_FORMAT_H_
