// The envelope of a partial result travelling between processes (fengqiao.v1.MetricsPartial):
// a format version, the fingerprint of the options it was computed with, the payload, and an
// FNV-1a 64 checksum over the three, so that a flipped bit is DataLoss, never another result.
// CaseMetrics and DepartmentScorecards both send their partials in it.
#ifndef FENGQIAO_SRC_METRICS_INTERNAL_PARTIAL_ENVELOPE_H_
#define FENGQIAO_SRC_METRICS_INTERNAL_PARTIAL_ENVELOPE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace fengqiao::metrics_internal {

// The serialised envelope around `payload`.
std::string SealPartial(uint32_t version, absl::string_view fingerprint, absl::string_view payload);

// The payload of `data` when it is a well-formed envelope of `version` computed with
// `fingerprint`. DataLoss naming `what` ("metrics", "scorecards") for bytes that do not parse,
// a checksum that does not match or another version; InvalidArgument for another fingerprint.
absl::Status OpenPartial(absl::string_view data, uint32_t version, absl::string_view fingerprint,
                         absl::string_view what, std::string* payload);

}  // namespace fengqiao::metrics_internal

#endif  // FENGQIAO_SRC_METRICS_INTERNAL_PARTIAL_ENVELOPE_H_
