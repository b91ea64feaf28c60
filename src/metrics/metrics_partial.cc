// The serialised partial result of CaseMetrics: what Dask workers send to the client.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "fengqiao/metrics/case_metrics.h"
#include "metrics/internal/metrics_group.h"
#include "metrics/internal/wire.h"

namespace fengqiao {

using metrics_internal::ForEachCounter;
using metrics_internal::GetInt;
using metrics_internal::PutInt;

std::string CaseMetrics::Fingerprint() const {
  std::string f = absl::StrCat(map_.proto().name(), "|", map_.size(), "|", start_s_, "|", end_s_,
                               "|", as_of_s_, "|", baseline_start_s_, "|", baseline_end_s_, "|",
                               options_.arrival_seconds, ",", options_.accept_seconds, ",",
                               options_.contact_seconds, ",", options_.on_site_seconds, "|");
  for (v1::Dimension d : options_.group_by) absl::StrAppend(&f, static_cast<int>(d), ",");
  for (const auto& b : window_bounds_) absl::StrAppend(&f, "|", absl::StrJoin(b, ","));
  return f;
}

std::string CaseMetrics::SerializePartial() const {
  std::string out = "FQM1";
  const std::string fingerprint = Fingerprint();
  PutInt(&out, static_cast<int64_t>(fingerprint.size()));
  out += fingerprint;
  PutInt(&out, static_cast<int64_t>(groups_.size()));
  for (size_t i = 0; i < groups_.size(); ++i) {
    PutInt(&out, static_cast<int64_t>(keys_[i]));
    const Group& g = *groups_[i];
    ForEachCounter(g, [&](const int64_t& v) { PutInt(&out, v); });
    for (const DurationSketch& s : g.durations) s.AppendTo(&out);
  }
  return out;
}

absl::Status CaseMetrics::MergeSerialized(std::string_view data) {
  const auto bad = [] {
    return absl::DataLossError("metrics: partial result bytes are malformed");
  };
  if (data.substr(0, 4) != "FQM1") return bad();
  data.remove_prefix(4);
  int64_t n = 0;
  if (!GetInt(&data, &n) || n < 0 || static_cast<size_t>(n) > data.size()) return bad();
  if (data.substr(0, n) != Fingerprint()) {
    return absl::InvalidArgumentError(
        "metrics: cannot merge partial results computed with different options or maps");
  }
  data.remove_prefix(n);
  int64_t groups = 0;
  if (!GetInt(&data, &groups) || groups < 0) return bad();
  // Parse everything first; merge only a whole, well-formed partial.
  std::vector<std::pair<uint64_t, Group>> parsed;
  for (int64_t i = 0; i < groups; ++i) {
    int64_t key = 0;
    if (!GetInt(&data, &key)) return bad();
    Group g;
    g.periods.assign(windows_.size(), {0, 0, 0});
    bool ok = true;
    ForEachCounter(g, [&](int64_t& v) { ok = ok && GetInt(&data, &v); });
    for (DurationSketch& s : g.durations) ok = ok && s.ReadFrom(&data);
    if (!ok) return bad();
    parsed.emplace_back(static_cast<uint64_t>(key), std::move(g));
  }
  if (!data.empty()) return bad();
  for (auto& [key, g] : parsed) GroupFor(key).Merge(g);
  return absl::OkStatus();
}

}  // namespace fengqiao
