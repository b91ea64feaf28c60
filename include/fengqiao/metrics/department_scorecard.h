// File: fengqiao/metrics/department_scorecard.h
// DepartmentScorecards scores the departments that take diverted matters as work orders (工单),
// per department (v1::Department) and period, as the city scorecards do every month: on-time
// sign-off (及时签收率), on-time completion (按时办结率), return rate (回退率), redo rate (重办率),
// satisfaction (满意率), supervised orders (督办件数) and extended orders (延期件数), each weighted
// and zero below its threshold (v1::ScorecardPolicy, fengqiao/metrics/scorecard_policy.h), with
// the red and black lists (红榜 / 黑榜). One pass over case records (CaseRecordBuilder fills their
// work-order facts); partial results merge, also as bytes.
//
//   #include "absl/time/civil_time.h"
//   const absl::TimeZone tz = fengqiao::ChinaTimeZone();
//   fengqiao::ScorecardOptions options;  // October 2026, the library's default policy
//   options.as_of = absl::FromCivil(absl::CivilDay(2026, 11, 1), tz);
//   FENGQIAO_ASSIGN_OR_RETURN(std::unique_ptr<fengqiao::DepartmentScorecards> cards,
//                             fengqiao::DepartmentScorecards::Create(options));
//   fengqiao::CaseRecord order;  // an order to 城管, signed after 10 minutes of its 2 hours
//   order.reported_at = absl::ToUnixSeconds(absl::FromCivil(absl::CivilDay(2026, 10, 3), tz));
//   order.order_department = fengqiao::v1::DEPARTMENT_CITY_MANAGEMENT;
//   order.signoff_due_s = 7200;
//   order.signoff_s = 600;
//   cards->Add(order);
//   const fengqiao::v1::ScorecardReport report = cards->Report();
//   if (report.departments(0).indicators(0).rate().numerator() != 1) {
//     return absl::InternalError("one order signed on time");
//   }
//
// What counts (docs/scorecards.md): an order belongs to the period it was reported in. The
// department holding it last is scored on it for every indicator; each department that returned
// it counts it once among the orders it received and once among its returns. A clock counts
// once it fell due by as_of or was met (an open order past its clock is late); orders without
// the clock, not yet due, cancelled or with a clock before the report (a data error) are left
// out and counted by reason. An indicator with no orders to judge is left out of the score,
// which is the points earned out of the weights of the indicators judged, scaled to 100.
//
// Thread safety: Report() and the other const methods may run on several threads at once;
// Add / Merge are not synchronised: give each thread its own DepartmentScorecards and Merge.
// Errors: Create: InvalidArgument for an as_of that is not finite or a policy
// CheckScorecardPolicy refuses. Merge: InvalidArgument when the other was created for another
// period or as_of. MergeSerialized: DataLoss for malformed bytes (a flipped bit, a truncation,
// another format version), InvalidArgument for another period or as_of; nothing is merged then.
#ifndef FENGQIAO_METRICS_DEPARTMENT_SCORECARD_H_
#define FENGQIAO_METRICS_DEPARTMENT_SCORECARD_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/metrics/case_record.h"
#include "fengqiao/metrics/period_windows.h"
#include "fengqiao/store/case_store.h"
#include "fengqiao/time_zone.h"
#include "fengqiao/v1/metrics.pb.h"
#include "fengqiao/v1/taxonomy.pb.h"

namespace fengqiao {

struct ScorecardOptions {
  // When the scorecards are drawn up: the period scored is policy.period ending here (the month
  // before the first of a month, as WindowsFor gives it), and an open order past its clock by
  // then is late. Must be finite.
  absl::Time as_of = absl::InfiniteFuture();
  // Weights, thresholds, period, lists; unset fields: EffectiveScorecardPolicy's defaults.
  v1::ScorecardPolicy policy;
  // Zone of the calendar; China's by default.
  absl::TimeZone time_zone = ChinaTimeZone();
};

class DepartmentScorecards {
 public:
  static absl::StatusOr<std::unique_ptr<DepartmentScorecards>> Create(ScorecardOptions options);

  void Add(const CaseRecord& record);
  void AddAll(absl::Span<const CaseRecord> records) {
    for (const CaseRecord& r : records) Add(r);
  }

  // Adds another partial result of the same period and as_of (its policy may differ: the
  // counts do not depend on it).
  absl::Status Merge(const DepartmentScorecards& other);
  // The partial result as bytes (a fengqiao.v1.MetricsPartial envelope), and merging them.
  std::string SerializePartial() const;
  absl::Status MergeSerialized(absl::string_view data);

  // The scorecards of the period, ranked, with the lists.
  v1::ScorecardReport Report() const;

  // The counters kept per department and period (the current one and the one before).
  enum Counter : int {
    kOrders,
    kHandled,
    kReturned,
    kSignoffDue,
    kSignoffOnTime,
    kSignoffNoClock,
    kSignoffNotYetDue,
    kSignoffCancelled,
    kSignoffNegative,
    kCompleteDue,
    kCompleteOnTime,
    kCompleteNoClock,
    kCompleteNotYetDue,
    kCompleteCancelled,
    kCompleteNegative,
    kResolved,
    kRedone,
    kRevisited,
    kSatisfied,
    kSupervised,
    kSupervisionSteps,
    kExtended,
    kExtensionsGranted,
    kCounters
  };

 private:
  static constexpr int kDepartments = v1::Department_ARRAYSIZE;
  using Counts = std::array<int64_t, kCounters>;
  explicit DepartmentScorecards(ScorecardOptions options);
  std::string Fingerprint() const;
  Counts& At(int department, int slot) { return counts_[department * 2 + slot]; }
  const Counts& At(int department, int slot) const { return counts_[department * 2 + slot]; }
  void AddTo(Counts& c, const CaseRecord& r, bool handled, bool returned) const;

  ScorecardOptions options_;
  v1::ScorecardPolicy policy_;  // effective
  PeriodWindows windows_;
  int64_t start_s_ = 0, end_s_ = 0, prev_start_s_ = 0, prev_end_s_ = 0, as_of_s_ = 0;
  std::array<Counts, kDepartments * 2> counts_{};
};

// Whether an indicator is published as a count (督办件数, 延期件数) rather than as a rate.
inline bool IsCountIndicator(v1::ScorecardIndicator indicator) {
  return indicator == v1::SCORECARD_INDICATOR_SUPERVISED ||
         indicator == v1::SCORECARD_INDICATOR_EXTENDED;
}

// The scorecards of every case of `store` (read by ReadCaseRecords in report order, one pass):
// what the main job, the briefings and Python call. Errors: Create's, and the store's as they
// come.
absl::StatusOr<v1::ScorecardReport> ScoreDepartments(const CaseStore& store, const GridMap& map,
                                                     const ScorecardOptions& options);

}  // namespace fengqiao

#endif  // FENGQIAO_METRICS_DEPARTMENT_SCORECARD_H_
