// The serialised partial result of CaseMetrics: what Dask workers send to the client.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "fengqiao/metrics/case_metrics.h"
#include "fengqiao/status_macros.h"
#include "fengqiao/v1/metrics.pb.h"
#include "metrics/internal/metrics_group.h"
#include "metrics/internal/partial_envelope.h"

namespace fengqiao {

using metrics_internal::ForEachCounter;
namespace {

// Version 1: fengqiao.v1.MetricsPartial. (Version 0 was a host-endian encoding starting "FQM1".)
// 2: the co-handler counters (co_handled, co_handlers, co_on_time) joined the group's counters.
// 3: the 110 ↔ 12345 linkage, the revisit's answers (三率, 差评甄别) and 并单 counters joined.
constexpr uint32_t kFormatVersion = 3;

absl::Status Malformed(absl::string_view why) {
  return absl::DataLossError(absl::StrCat("metrics: partial result bytes are malformed: ", why));
}

}  // namespace

std::string CaseMetrics::Fingerprint() const {
  std::string f = absl::StrCat(
      map_.proto().name(), "|", map_.size(), "|", start_s_, "|", end_s_, "|", as_of_s_, "|",
      baseline_start_s_, "|", baseline_end_s_, "|", options_.arrival_seconds, ",",
      options_.accept_seconds, ",", options_.contact_seconds, ",", options_.on_site_seconds, "|",
      options_.exact_percentile_limit, ",", options_.percentile_relative_error, "|");
  for (v1::Dimension d : options_.group_by) absl::StrAppend(&f, static_cast<int>(d), ",");
  for (const auto& b : window_bounds_) absl::StrAppend(&f, "|", absl::StrJoin(b, ","));
  return f;
}

std::string CaseMetrics::SerializePartial() const {
  v1::MetricsPartialPayload payload;
  for (size_t i = 0; i < groups_.size(); ++i) {
    v1::MetricsPartialGroup* out = payload.add_groups();
    out->set_key(keys_[i]);
    const Group& g = *groups_[i];
    ForEachCounter(g, [&](const int64_t& v) { out->add_counters(v); });
    for (const DurationSketch& s : g.durations) s.ToProto(out->add_durations());
  }
  return metrics_internal::SealPartial(kFormatVersion, Fingerprint(), payload.SerializeAsString());
}

absl::Status CaseMetrics::MergeSerialized(absl::string_view data) {
  std::string bytes;
  FENGQIAO_RETURN_IF_ERROR(
      metrics_internal::OpenPartial(data, kFormatVersion, Fingerprint(), "metrics", &bytes));
  v1::MetricsPartialPayload payload;
  if (!payload.ParseFromString(bytes)) return Malformed("payload does not parse");
  size_t counters = 0;
  {
    Group empty(SketchOptions());
    empty.periods.assign(windows_.size(), {0, 0, 0});
    ForEachCounter(empty, [&](int64_t&) { ++counters; });
  }
  // Parse everything first; merge only a whole, well-formed partial.
  std::vector<std::pair<uint64_t, Group>> parsed;
  parsed.reserve(payload.groups_size());
  for (int i = 0; i < payload.groups_size(); ++i) {
    const v1::MetricsPartialGroup& in = payload.groups(i);
    if (static_cast<size_t>(in.counters_size()) != counters ||
        in.durations_size() != metrics_internal::kDurations) {
      return Malformed(absl::StrCat("group ", i, " has the wrong number of counters or sketches"));
    }
    Group g(SketchOptions());
    g.periods.assign(windows_.size(), {0, 0, 0});
    int c = 0;
    ForEachCounter(g, [&](int64_t& v) { v = in.counters(c++); });
    for (int d = 0; d < metrics_internal::kDurations; ++d) {
      if (!g.durations[d].FromProto(in.durations(d))) {
        return Malformed(absl::StrCat("group ", i, " has an inconsistent duration sketch"));
      }
    }
    parsed.emplace_back(in.key(), std::move(g));
  }
  for (auto& [key, g] : parsed) GroupFor(key).Merge(g);
  return absl::OkStatus();
}

}  // namespace fengqiao
