// Internal: the counters, SLA tallies and duration sketches of one group of a CaseMetrics, and the
// one list of its integer counters that merging and the serialised partial both walk.
#ifndef FENGQIAO_SRC_METRICS_INTERNAL_METRICS_GROUP_H_
#define FENGQIAO_SRC_METRICS_INTERNAL_METRICS_GROUP_H_

#include <array>
#include <cstdint>
#include <vector>

#include "fengqiao/metrics/case_metrics.h"
#include "fengqiao/metrics/duration_sketch.h"

namespace fengqiao::metrics_internal {

enum SlaExclusion {
  kNotYetDue,
  kClosedWithoutStep,
  kCancelled,
  kNegativeInterval,
  kNoOnSiteNeeded,
  kSlaExclusions
};
inline constexpr const char* kSlaExclusionNames[] = {"not yet due", "closed without the step",
                                                     "cancelled or duplicate", "negative interval",
                                                     "no on-site response needed"};
static_assert(std::size(kSlaExclusionNames) == kSlaExclusions);

struct SlaTally {
  int64_t on_time = 0, late = 0;
  std::array<int64_t, kSlaExclusions> excluded{};
};

enum DurationKind { kAcceptD, kContactD, kArrivalD, kResolveD, kDivertD, kDurations };
inline constexpr const char* kDurationNames[] = {
    "accept_seconds", "contact_seconds", "arrival_seconds", "resolve_seconds", "divert_seconds"};
static_assert(std::size(kDurationNames) == kDurations);

}  // namespace fengqiao::metrics_internal

namespace fengqiao {

struct CaseMetrics::Group {
  explicit Group(const DurationSketchOptions& sketch) { durations.fill(DurationSketch(sketch)); }
  int64_t records = 0, police = 0, non_police = 0, disputes = 0, criminal = 0, cancelled = 0,
          disposed = 0, med_started = 0, med_succeeded = 0, revisited = 0, satisfied = 0,
          reopened = 0, civil_to_criminal = 0, calls_110 = 0, non_police_110 = 0, co_handled = 0,
          co_handlers = 0, co_on_time = 0, calls_12345 = 0, to_12345 = 0, to_110 = 0,
          emergency_pushes = 0, three_way_calls = 0, first_receiver_kept = 0, asked_contacted = 0,
          contacted = 0, asked_solved = 0, solved = 0, rating_set_aside = 0, merged = 0;
  metrics_internal::SlaTally arrival, accept, contact, on_site;
  std::array<DurationSketch, metrics_internal::kDurations> durations;
  std::array<int64_t, metrics_internal::kDurations> missing{};
  std::vector<std::array<int64_t, 3>> periods;  // current, yoy, pop per window
  int64_t base_divert_n = 0, base_divert_sum = 0, base_resolve_n = 0, base_resolve_sum = 0;

  void Merge(const Group& o);
};

namespace metrics_internal {

// Every integer counter of a group, in one fixed order: Merge adds them pairwise, the serialised
// partial writes and reads them in this order. `G` may be const.
template <typename G, typename F>
void ForEachCounter(G& g, F f) {
  for (auto* v : {&g.records,
                  &g.police,
                  &g.non_police,
                  &g.disputes,
                  &g.criminal,
                  &g.cancelled,
                  &g.disposed,
                  &g.med_started,
                  &g.med_succeeded,
                  &g.revisited,
                  &g.satisfied,
                  &g.reopened,
                  &g.civil_to_criminal,
                  &g.calls_110,
                  &g.non_police_110,
                  &g.co_handled,
                  &g.co_handlers,
                  &g.co_on_time,
                  &g.calls_12345,
                  &g.to_12345,
                  &g.to_110,
                  &g.emergency_pushes,
                  &g.three_way_calls,
                  &g.first_receiver_kept,
                  &g.asked_contacted,
                  &g.contacted,
                  &g.asked_solved,
                  &g.solved,
                  &g.rating_set_aside,
                  &g.merged,
                  &g.base_divert_n,
                  &g.base_divert_sum,
                  &g.base_resolve_n,
                  &g.base_resolve_sum}) {
    f(*v);
  }
  for (auto* t : {&g.arrival, &g.accept, &g.contact, &g.on_site}) {
    f(t->on_time);
    f(t->late);
    for (auto& e : t->excluded) f(e);
  }
  for (auto& m : g.missing) f(m);
  for (auto& p : g.periods) {
    for (auto& v : p) f(v);
  }
}

}  // namespace metrics_internal

inline void CaseMetrics::Group::Merge(const Group& o) {
  std::vector<int64_t*> mine;
  metrics_internal::ForEachCounter(*this, [&](int64_t& v) { mine.push_back(&v); });
  size_t i = 0;
  metrics_internal::ForEachCounter(o, [&](const int64_t& v) { *mine[i++] += v; });
  for (int d = 0; d < metrics_internal::kDurations; ++d) durations[d].Merge(o.durations[d]);
}

}  // namespace fengqiao

#endif  // FENGQIAO_SRC_METRICS_INTERNAL_METRICS_GROUP_H_
