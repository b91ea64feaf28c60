// File: fengqiao/metrics/case_metrics.h
// CaseMetrics computes the figures the seeds report (8-minute arrival rate, SLA compliance,
// disposal rate 处置率, mediation success rate 调解率, non-police share 分流占比, satisfaction
// 满意率, reopen rate, 民转刑, response and handling time distributions, time saved against a
// baseline 分流 用时缩短 / 处置时间缩减) and CompStat-style period comparisons (同比 year-on-year,
// 环比 period-on- period), in one pass over case records, grouped by any set of dimensions. Every
// rate carries its numerator, denominator and the records it left out, by reason. Partial results
// merge.
//
//   #include "absl/time/civil_time.h"
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::GridMap> grid_map,
//                             fengqiao::GridMap::Load("examples/data/grid_map.textproto"));
//   const absl::TimeZone tz = fengqiao::ChinaTimeZone();
//   fengqiao::MetricsOptions options;
//   options.period_start = absl::FromCivil(absl::CivilDay(2026, 10, 1), tz);
//   options.period_end = absl::FromCivil(absl::CivilDay(2026, 11, 1), tz);
//   options.group_by = {fengqiao::v1::DIMENSION_STREET, fengqiao::v1::DIMENSION_CATEGORY};
//   FENGQIAO_ASSIGN_OR_RETURN(std::unique_ptr<fengqiao::CaseMetrics> metrics,
//                             fengqiao::CaseMetrics::Create(*grid_map, options));
//   fengqiao::CaseRecord record;  // a dispute on 3 October, someone on site after 6 minutes
//   record.reported_at = absl::ToUnixSeconds(absl::FromCivil(absl::CivilDay(2026, 10, 3), tz));
//   record.kind = fengqiao::v1::INCIDENT_KIND_DISPUTE;
//   record.flags = fengqiao::kRecordPolice | fengqiao::kRecordOnSiteRequired;
//   record.arrival_s = 360;
//   metrics->Add(record);
//   const fengqiao::v1::MetricsReport report = metrics->Report();
//   const fengqiao::v1::Rate& arrival = report.groups(0).rates(0);
//   if (arrival.name() != "arrival_within_8min" || arrival.numerator() != 1) {
//     return absl::InternalError("one arrival within 8 minutes");
//   }
//
// Thread safety: Report() and the other const methods may run on several threads at once;
// Add / Merge are not synchronised: give each thread its own CaseMetrics and Merge them.
#ifndef FENGQIAO_METRICS_CASE_METRICS_H_
#define FENGQIAO_METRICS_CASE_METRICS_H_

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/metrics/case_record.h"
#include "fengqiao/metrics/duration_sketch.h"
#include "fengqiao/metrics/period_windows.h"
#include "fengqiao/time_zone.h"
#include "fengqiao/v1/metrics.pb.h"

namespace fengqiao {

namespace metrics_internal {
class GroupKeys;
}  // namespace metrics_internal

struct MetricsOptions {
  // The report window, by report time: [period_start, period_end).
  absl::Time period_start = absl::InfinitePast();
  absl::Time period_end = absl::InfiniteFuture();
  // "Now" for open cases: a step missing past its threshold counts as late (on time / (closed +
  // open overdue)). Defaults to period_end.
  std::optional<absl::Time> as_of;
  // Dimensions grouped by (v1::Dimension in metrics.proto), at most 4; empty: one group of
  // everything. A dimension's short name ("street") keys MetricsGroup.key.
  std::vector<v1::Dimension> group_by;
  // Period comparisons of record counts per group, year-on-year and period-on-period.
  std::vector<v1::PeriodKind> comparisons;
  // Baseline window for time saved (mean diversion and resolution time), if any.
  std::optional<std::pair<absl::Time, absl::Time>> baseline;
  // Thresholds, seconds: on-site arrival rate, and the rapid-response SLAs. The rates are named
  // after them (ThresholdRateName): arrival_within_8min, accept_within_1min,
  // contact_within_3min, on_site_within_10min by default; accept_within_15s at 15 s.
  int arrival_seconds = 8 * 60;
  int accept_seconds = 60;
  int contact_seconds = 3 * 60;
  int on_site_seconds = 10 * 60;
  // Zone of the calendar (period windows, weeks, months); China's by default.
  absl::TimeZone time_zone = ChinaTimeZone();
  // Percentiles are exact (R type 7) while a group's distribution holds at most this many
  // samples; past it they come from a sketch within `percentile_relative_error` of the exact
  // value, and the distribution says `approximate` (DurationSketch). Memory: 8 bytes per sample
  // kept exact.
  int64_t exact_percentile_limit = 100'000;
  double percentile_relative_error = 0.001;
  // Threads AddAll and AddColumns use (the caller's included; the process's worker pool): the
  // records are cut into contiguous slices, each counted apart and merged in order, so the report
  // is the one of a single thread. 1: on the calling thread only. Not part of what Merge and
  // MergeSerialized compare.
  int threads = 1;
};

// Case records as parallel columns (an analyst's arrays); every span has the length of
// reported_at, or is empty (all zero; the step-time columns: all -1, not happened).
struct CaseRecordColumns {
  absl::Span<const int64_t> reported_at;
  absl::Span<const int32_t> area;
  absl::Span<const uint8_t> kind, dispute_type, department, channel, tier, force;
  absl::Span<const uint8_t> co_handlers, co_on_time;
  absl::Span<const uint32_t> flags;
  absl::Span<const int32_t> assign_s, accept_s, contact_s, arrival_s, resolve_s;
};

// The name of the rate of `step` done within `threshold_seconds`: "<step>_within_<m>min" for whole
// minutes, "<step>_within_<s>s" otherwise (e.g. "arrival_within_10min", "accept_within_15s").
std::string ThresholdRateName(absl::string_view step, int threshold_seconds);

class CaseMetrics {
 public:
  // InvalidArgument for more than 4 dimensions, an unspecified dimension or period, or an empty or
  // inverted window.
  static absl::StatusOr<std::unique_ptr<CaseMetrics>> Create(const GridMap& map,
                                                             MetricsOptions options);
  ~CaseMetrics();

  void Add(const CaseRecord& record);
  // Add of each record, on up to options.threads threads.
  void AddAll(absl::Span<const CaseRecord> records);
  // The same pass over columns, on up to options.threads threads. InvalidArgument naming a
  // column whose length differs; nothing is added then.
  absl::Status AddColumns(const CaseRecordColumns& columns);

  // Adds another partial result computed with the same options and map; InvalidArgument when
  // they differ.
  absl::Status Merge(const CaseMetrics& other);

  // The partial result as bytes, to send between processes (e.g. Dask workers): a serialised
  // fengqiao.v1.MetricsPartial (format version, the options' fingerprint, the counters and
  // sketches of every group as payload, a checksum).
  std::string SerializePartial() const;
  // Merges bytes from SerializePartial. DataLoss when the bytes are malformed (a flipped bit, a
  // truncation: the checksum or the parse fails) or of another format version; InvalidArgument
  // when computed with other options or map. Nothing is merged then.
  absl::Status MergeSerialized(absl::string_view data);

  // The report: one group per key seen, in key order.
  v1::MetricsReport Report() const;

  size_t group_count() const { return groups_.size(); }

  struct Group;

 private:
  CaseMetrics(const GridMap& map, MetricsOptions options, absl::TimeZone tz);
  std::string Fingerprint() const;
  DurationSketchOptions SketchOptions() const {
    return {options_.exact_percentile_limit, options_.percentile_relative_error};
  }
  Group& GroupFor(uint64_t key);
  // Calls add(metrics, begin, end) over [0, n) in contiguous slices: the first into *this, the
  // others into fresh partials on the pool's threads, merged into *this in slice order.
  void AddInSlices(size_t n,
                   absl::FunctionRef<void(CaseMetrics& metrics, size_t begin, size_t end)> add);
  // A partial with this one's options (threads 1), map and windows, and no records.
  std::unique_ptr<CaseMetrics> EmptyLike() const;
  // Adds other's groups (same options and map, not checked).
  void MergeGroups(const CaseMetrics& other);

  const GridMap& map_;
  MetricsOptions options_;
  absl::TimeZone tz_;
  int64_t start_s_, end_s_, as_of_s_;
  std::vector<PeriodWindows> windows_;
  std::vector<std::array<int64_t, 6>> window_bounds_;  // start,end,yoy_start,yoy_end,pop_*
  int64_t baseline_start_s_ = 0, baseline_end_s_ = 0;
  std::unique_ptr<metrics_internal::GroupKeys> keys_of_;
  std::array<std::string, 4> rate_names_;  // arrival, accept, contact, on site
  absl::flat_hash_map<uint64_t, size_t> index_;
  std::vector<std::unique_ptr<Group>> groups_;
  std::vector<uint64_t> keys_;
};

}  // namespace fengqiao

#endif  // FENGQIAO_METRICS_CASE_METRICS_H_
