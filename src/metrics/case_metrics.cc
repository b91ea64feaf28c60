#include "fengqiao/metrics/case_metrics.h"

#include <algorithm>
#include <array>

#include "absl/strings/str_cat.h"
#include "fengqiao/status_macros.h"
#include "fengqiao/vocabulary.h"
#include "internal/columns.h"
#include "internal/thread_pool.h"
#include "internal/time_util.h"
#include "metrics/internal/group_key.h"
#include "metrics/internal/metrics_group.h"

namespace fengqiao {

using metrics_internal::ForEachCounter;
using metrics_internal::kCancelled;
using metrics_internal::kClosedWithoutStep;
using metrics_internal::kDurationNames;
using metrics_internal::kDurations;
using metrics_internal::kNotYetDue;
using metrics_internal::kSlaExclusionNames;
using metrics_internal::kSlaExclusions;
using metrics_internal::SlaTally;

std::string ThresholdRateName(absl::string_view step, int threshold_seconds) {
  return threshold_seconds % 60 == 0 ? absl::StrCat(step, "_within_", threshold_seconds / 60, "min")
                                     : absl::StrCat(step, "_within_", threshold_seconds, "s");
}

CaseMetrics::CaseMetrics(const GridMap& map, MetricsOptions options, absl::TimeZone tz)
    : map_(map),
      options_(std::move(options)),
      tz_(tz),
      keys_of_(std::make_unique<metrics_internal::GroupKeys>(map, options_.group_by)),
      rate_names_{ThresholdRateName("arrival", options_.arrival_seconds),
                  ThresholdRateName("accept", options_.accept_seconds),
                  ThresholdRateName("contact", options_.contact_seconds),
                  ThresholdRateName("on_site", options_.on_site_seconds)} {}
CaseMetrics::~CaseMetrics() = default;

absl::StatusOr<std::unique_ptr<CaseMetrics>> CaseMetrics::Create(const GridMap& map,
                                                                 MetricsOptions options) {
  if (options.group_by.size() > 4) {
    return absl::InvalidArgumentError(
        absl::StrCat("metrics: ", options.group_by.size(), " dimensions; at most 4"));
  }
  for (v1::Dimension d : options.group_by) {
    if (d == v1::DIMENSION_UNSPECIFIED || !v1::Dimension_IsValid(d)) {
      return absl::InvalidArgumentError(absl::StrCat("metrics: group_by holds dimension ",
                                                     static_cast<int>(d), ", not a dimension"));
    }
  }
  for (v1::PeriodKind k : options.comparisons) {
    if (k == v1::PERIOD_KIND_UNSPECIFIED || !v1::PeriodKind_IsValid(k)) {
      return absl::InvalidArgumentError(absl::StrCat("metrics: comparisons hold period ",
                                                     static_cast<int>(k), ", not a period kind"));
    }
  }
  if (!(options.period_start < options.period_end)) {
    return absl::InvalidArgumentError("metrics: period_start must be before period_end");
  }
  const absl::TimeZone tz = options.time_zone;
  std::unique_ptr<CaseMetrics> m(new CaseMetrics(map, std::move(options), tz));
  const MetricsOptions& o = m->options_;
  auto secs = [](absl::Time t) {
    if (t == absl::InfinitePast()) return INT64_MIN;
    if (t == absl::InfiniteFuture()) return INT64_MAX;
    return absl::ToUnixSeconds(t);
  };
  m->start_s_ = secs(o.period_start);
  m->end_s_ = secs(o.period_end);
  const absl::Time as_of = o.as_of.value_or(o.period_end);
  m->as_of_s_ = secs(as_of);
  if (!o.comparisons.empty() && as_of == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("metrics: comparisons need as_of or a finite period_end");
  }
  for (v1::PeriodKind k : o.comparisons) {
    m->windows_.push_back(WindowsFor(k, as_of, tz));
    const PeriodWindows& w = m->windows_.back();
    m->window_bounds_.push_back({secs(w.start), secs(w.end), secs(w.yoy_start), secs(w.yoy_end),
                                 secs(w.pop_start), secs(w.pop_end)});
  }
  if (o.baseline.has_value()) {
    if (!(o.baseline->first < o.baseline->second)) {
      return absl::InvalidArgumentError("metrics: the baseline window is empty or inverted");
    }
    m->baseline_start_s_ = secs(o.baseline->first);
    m->baseline_end_s_ = secs(o.baseline->second);
  }
  return m;
}

CaseMetrics::Group& CaseMetrics::GroupFor(uint64_t key) {
  auto [it, inserted] = index_.emplace(key, groups_.size());
  if (inserted) {
    groups_.push_back(std::make_unique<Group>(SketchOptions()));
    groups_.back()->periods.assign(windows_.size(), {0, 0, 0});
    keys_.push_back(key);
  }
  return *groups_[it->second];
}

namespace {

void Tally(SlaTally& t, int32_t step_s, int threshold, const CaseRecord& r, int64_t as_of) {
  if (step_s >= 0) {
    (step_s <= threshold ? t.on_time : t.late) += 1;
  } else if (step_s < kStepNotHappened) {
    ++t.excluded[metrics_internal::kNegativeInterval];  // a data error, never counted on time
  } else if (r.flags & kRecordCancelled) {
    ++t.excluded[kCancelled];
  } else if (r.flags & (kRecordDisposed | kRecordClosed)) {
    ++t.excluded[kClosedWithoutStep];
  } else if (r.reported_at + threshold < as_of) {
    ++t.late;  // open and overdue: counts against the rate
  } else {
    ++t.excluded[kNotYetDue];
  }
}

}  // namespace

void CaseMetrics::Add(const CaseRecord& r) {
  const int64_t t = r.reported_at;
  const bool in_main = t >= start_s_ && t < end_s_;
  const bool in_base =
      options_.baseline.has_value() && t >= baseline_start_s_ && t < baseline_end_s_;
  bool in_window = false;
  for (const auto& b : window_bounds_) {
    in_window |= (t >= b[0] && t < b[1]) || (t >= b[2] && t < b[3]) || (t >= b[4] && t < b[5]);
  }
  if (!in_main && !in_base && !in_window) return;
  Group& g = GroupFor(keys_of_->KeyOf(r));
  for (size_t k = 0; k < window_bounds_.size(); ++k) {
    const auto& b = window_bounds_[k];
    g.periods[k][0] += (t >= b[0] && t < b[1]) ? 1 : 0;
    g.periods[k][1] += (t >= b[2] && t < b[3]) ? 1 : 0;
    g.periods[k][2] += (t >= b[4] && t < b[5]) ? 1 : 0;
  }
  const bool police = r.flags & kRecordPolice;
  if (in_base) {
    if (!police && r.assign_s >= 0) {
      ++g.base_divert_n;
      g.base_divert_sum += r.assign_s;
    }
    if (r.resolve_s >= 0) {
      ++g.base_resolve_n;
      g.base_resolve_sum += r.resolve_s;
    }
  }
  if (!in_main) return;
  ++g.records;
  (police ? g.police : g.non_police) += 1;
  g.disputes += r.kind == v1::INCIDENT_KIND_DISPUTE ? 1 : 0;
  g.criminal += r.kind == v1::INCIDENT_KIND_CRIMINAL ? 1 : 0;
  g.cancelled += (r.flags & kRecordCancelled) ? 1 : 0;
  g.disposed += (r.flags & kRecordDisposed) ? 1 : 0;
  g.med_started += (r.flags & kRecordMediationStarted) ? 1 : 0;
  g.med_succeeded += (r.flags & kRecordMediationSucceeded) ? 1 : 0;
  g.revisited += (r.flags & kRecordRevisited) ? 1 : 0;
  // A bad rating set aside on review (差评甄别) is out of the satisfaction rate, counted apart.
  g.satisfied += (r.flags & kRecordSatisfied) && !(r.flags & kRecordRatingSetAside) ? 1 : 0;
  g.reopened += (r.flags & kRecordReopened) ? 1 : 0;
  g.civil_to_criminal += (r.flags & kRecordCivilToCriminal) ? 1 : 0;
  g.co_handled += r.co_handlers > 0 ? 1 : 0;
  g.co_handlers += r.co_handlers;
  g.co_on_time += std::min(r.co_on_time, r.co_handlers);
  if (r.channel == v1::CHANNEL_CALL_110) {
    ++g.calls_110;
    g.non_police_110 += police ? 0 : 1;
  }
  // Each direction over the calls its platform received first.
  if (r.channel == v1::CHANNEL_CALL_110) {
    g.to_12345 += (r.flags & kRecordTransferredTo12345) ? 1 : 0;
  } else if (r.channel == v1::CHANNEL_HOTLINE_12345) {
    ++g.calls_12345;
    g.to_110 += (r.flags & kRecordTransferredTo110) ? 1 : 0;
    g.emergency_pushes += (r.flags & kRecordEmergencyPushed) ? 1 : 0;
  }
  g.three_way_calls += (r.flags & kRecordThreeWayCall) ? 1 : 0;
  if (r.flags & kRecordRevisited) {
    g.asked_contacted += (r.flags & kRecordAskedContacted) ? 1 : 0;
    g.contacted += (r.flags & kRecordAskedContacted) && (r.flags & kRecordContacted) ? 1 : 0;
    g.asked_solved += (r.flags & kRecordAskedSolved) ? 1 : 0;
    g.solved += (r.flags & kRecordAskedSolved) && (r.flags & kRecordSolved) ? 1 : 0;
    g.rating_set_aside += (r.flags & kRecordRatingSetAside) ? 1 : 0;
  }
  g.first_receiver_kept += (r.flags & kRecordFirstReceiverKept) ? 1 : 0;
  g.merged += (r.flags & kRecordMergedInto) ? 1 : 0;
  // On-site arrival is measured over the incidents that need someone on site (police dispatch,
  // the instant-response teams), not over hotline items, diversions or grid-found matters.
  if (r.flags & kRecordOnSiteRequired) {
    Tally(g.arrival, r.arrival_s, options_.arrival_seconds, r, as_of_s_);
    Tally(g.on_site, r.arrival_s, options_.on_site_seconds, r, as_of_s_);
  } else {
    ++g.arrival.excluded[metrics_internal::kNoOnSiteNeeded];
    ++g.on_site.excluded[metrics_internal::kNoOnSiteNeeded];
  }
  Tally(g.accept, r.accept_s, options_.accept_seconds, r, as_of_s_);
  Tally(g.contact, r.contact_s, options_.contact_seconds, r, as_of_s_);
  // Diversion time is a measure of non-police matters only.
  const bool measured[kDurations] = {true, true, true, true, !police};
  const int32_t steps[kDurations] = {r.accept_s, r.contact_s, r.arrival_s, r.resolve_s, r.assign_s};
  for (int i = 0; i < kDurations; ++i) {
    if (!measured[i]) continue;
    if (steps[i] == kStepNotHappened) {
      ++g.missing[i];
    } else {
      g.durations[i].Add(steps[i]);  // a negative interval is counted by the sketch, not added
    }
  }
}

absl::Status CaseMetrics::AddColumns(const CaseRecordColumns& c) {
  const size_t n = c.reported_at.size();
  FENGQIAO_RETURN_IF_ERROR(internal::CheckColumns("metrics columns", "reported_at", n,
                                                  {{"area", c.area.size()},
                                                   {"kind", c.kind.size()},
                                                   {"dispute_type", c.dispute_type.size()},
                                                   {"department", c.department.size()},
                                                   {"channel", c.channel.size()},
                                                   {"tier", c.tier.size()},
                                                   {"force", c.force.size()},
                                                   {"co_handlers", c.co_handlers.size()},
                                                   {"co_on_time", c.co_on_time.size()},
                                                   {"flags", c.flags.size()},
                                                   {"assign_s", c.assign_s.size()},
                                                   {"accept_s", c.accept_s.size()},
                                                   {"contact_s", c.contact_s.size()},
                                                   {"arrival_s", c.arrival_s.size()},
                                                   {"resolve_s", c.resolve_s.size()}}));
  auto at = [](const auto& span, size_t i, auto missing) {
    return span.empty() ? missing : span[i];
  };
  AddInSlices(n, [&](CaseMetrics& metrics, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      CaseRecord r;
      r.reported_at = c.reported_at[i];
      r.area = at(c.area, i, int32_t{-1});
      r.kind = at(c.kind, i, uint8_t{0});
      r.dispute_type = at(c.dispute_type, i, uint8_t{0});
      r.department = at(c.department, i, uint8_t{0});
      r.channel = at(c.channel, i, uint8_t{0});
      r.tier = at(c.tier, i, uint8_t{0});
      r.force = at(c.force, i, uint8_t{0});
      r.co_handlers = at(c.co_handlers, i, uint8_t{0});
      r.co_on_time = at(c.co_on_time, i, uint8_t{0});
      r.flags = at(c.flags, i, uint32_t{0});
      r.assign_s = at(c.assign_s, i, int32_t{-1});
      r.accept_s = at(c.accept_s, i, int32_t{-1});
      r.contact_s = at(c.contact_s, i, int32_t{-1});
      r.arrival_s = at(c.arrival_s, i, int32_t{-1});
      r.resolve_s = at(c.resolve_s, i, int32_t{-1});
      metrics.Add(r);
    }
  });
  return absl::OkStatus();
}

void CaseMetrics::AddAll(absl::Span<const CaseRecord> records) {
  AddInSlices(records.size(), [&](CaseMetrics& metrics, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) metrics.Add(records[i]);
  });
}

void CaseMetrics::AddInSlices(
    size_t n, absl::FunctionRef<void(CaseMetrics& metrics, size_t begin, size_t end)> add) {
  // Below this many records a slice costs more to start and merge than it saves.
  constexpr size_t kMinSlice = 64 * 1024;
  const size_t wanted = options_.threads < 1 ? 1 : static_cast<size_t>(options_.threads);
  const size_t slices = std::max<size_t>(1, std::min(wanted, n / kMinSlice));
  if (slices <= 1) {
    add(*this, 0, n);
    return;
  }
  // Empty partials of the same options and map; merging them in slice order leaves every
  // counter, sketch and group as one pass in record order does (the sketches fold past their
  // exact limit the same way either way: a sample's bucket depends on its value only).
  std::vector<std::unique_ptr<CaseMetrics>> partials(slices);
  for (size_t k = 1; k < slices; ++k) partials[k] = EmptyLike();
  const size_t per_slice = (n + slices - 1) / slices;
  internal::ThreadPool::Shared().Run(slices, static_cast<int>(slices), [&](size_t k) {
    add(k == 0 ? *this : *partials[k], k * per_slice, std::min(n, (k + 1) * per_slice));
  });
  for (size_t k = 1; k < slices; ++k) MergeGroups(*partials[k]);
}

std::unique_ptr<CaseMetrics> CaseMetrics::EmptyLike() const {
  std::unique_ptr<CaseMetrics> m(new CaseMetrics(map_, options_, tz_));
  m->options_.threads = 1;
  m->start_s_ = start_s_;
  m->end_s_ = end_s_;
  m->as_of_s_ = as_of_s_;
  m->windows_ = windows_;
  m->window_bounds_ = window_bounds_;
  m->baseline_start_s_ = baseline_start_s_;
  m->baseline_end_s_ = baseline_end_s_;
  return m;
}

void CaseMetrics::MergeGroups(const CaseMetrics& other) {
  for (size_t i = 0; i < other.groups_.size(); ++i) {
    GroupFor(other.keys_[i]).Merge(*other.groups_[i]);
  }
}

absl::Status CaseMetrics::Merge(const CaseMetrics& other) {
  if (&other.map_ != &map_ || other.options_.group_by != options_.group_by ||
      other.start_s_ != start_s_ || other.end_s_ != end_s_ || other.as_of_s_ != as_of_s_ ||
      other.window_bounds_ != window_bounds_ || other.options_.baseline != options_.baseline ||
      other.options_.arrival_seconds != options_.arrival_seconds ||
      other.options_.accept_seconds != options_.accept_seconds ||
      other.options_.contact_seconds != options_.contact_seconds ||
      other.options_.on_site_seconds != options_.on_site_seconds ||
      other.options_.exact_percentile_limit != options_.exact_percentile_limit ||
      other.options_.percentile_relative_error != options_.percentile_relative_error) {
    return absl::InvalidArgumentError(
        "metrics: cannot merge partial results computed with different options or maps");
  }
  MergeGroups(other);
  return absl::OkStatus();
}

namespace {

void AddRate(v1::MetricsGroup* g, const char* name, int64_t num, int64_t den,
             std::initializer_list<std::pair<const char*, int64_t>> excluded = {}) {
  v1::Rate* r = g->add_rates();
  r->set_name(name);
  r->set_numerator(num);
  r->set_denominator(den);
  for (const auto& [reason, n] : excluded) {
    if (n > 0) (*r->mutable_excluded())[reason] = n;
  }
  if (den > 0) r->set_value(static_cast<double>(num) / den);
}

void AddSla(v1::MetricsGroup* g, const std::string& name, const SlaTally& t) {
  v1::Rate* r = g->add_rates();
  r->set_name(name);
  r->set_numerator(t.on_time);
  r->set_denominator(t.on_time + t.late);
  for (int i = 0; i < kSlaExclusions; ++i) {
    if (t.excluded[i] > 0) (*r->mutable_excluded())[kSlaExclusionNames[i]] = t.excluded[i];
  }
  if (t.on_time + t.late > 0) r->set_value(static_cast<double>(t.on_time) / (t.on_time + t.late));
}

void AddComparison(v1::MetricsGroup* g, const std::string& measure, const char* kind,
                   absl::string_view period, absl::Time cs, absl::Time ce, absl::Time bs,
                   absl::Time be, int64_t current, int64_t baseline) {
  v1::PeriodComparison* c = g->add_comparisons();
  c->set_measure(measure);
  c->set_kind(kind);
  c->set_period(std::string(period));
  *c->mutable_current_start() = internal::ToTimestamp(cs);
  *c->mutable_current_end() = internal::ToTimestamp(ce);
  *c->mutable_baseline_start() = internal::ToTimestamp(bs);
  *c->mutable_baseline_end() = internal::ToTimestamp(be);
  c->set_current(current);
  c->set_baseline(baseline);
  // A zero baseline is reported as such: no percentage, never an infinite one.
  if (baseline != 0) c->set_percent_change(100.0 * (current - baseline) / baseline);
}

}  // namespace

v1::MetricsReport CaseMetrics::Report() const {
  v1::MetricsReport report;
  report.set_title("fengqiao case metrics");
  report.set_time_zone(tz_.name());
  if (options_.period_start != absl::InfinitePast()) {
    *report.mutable_period_start() = internal::ToTimestamp(options_.period_start);
  }
  if (options_.period_end != absl::InfiniteFuture()) {
    *report.mutable_period_end() = internal::ToTimestamp(options_.period_end);
  }
  for (v1::Dimension d : options_.group_by) report.add_group_by(std::string(LabelOf(d).short_name));
  std::vector<size_t> order(groups_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return keys_[a] < keys_[b]; });
  // The percentiles of every group's durations first (the selection over each group's samples is
  // most of a report's time): groups in slices on up to options_.threads threads, each value what
  // one thread computes (the sketches are only read).
  std::vector<std::array<double, 3>> percentiles(groups_.size() * kDurations);
  constexpr size_t kGroupsPerSlice = 16;
  internal::ThreadPool::Shared().Run(
      (groups_.size() + kGroupsPerSlice - 1) / kGroupsPerSlice, options_.threads, [&](size_t k) {
        const size_t end = std::min(groups_.size(), (k + 1) * kGroupsPerSlice);
        for (size_t i = k * kGroupsPerSlice; i < end; ++i) {
          for (int d = 0; d < kDurations; ++d) {
            const DurationSketch& s = groups_[i]->durations[d];
            if (s.count() == 0) continue;
            const std::vector<double> p = s.Quantiles({0.5, 0.9, 0.95});
            percentiles[i * kDurations + d] = {p[0], p[1], p[2]};
          }
        }
      });
  for (size_t i : order) {
    const Group& g = *groups_[i];
    v1::MetricsGroup* out = report.add_groups();
    for (size_t d = 0; d < options_.group_by.size(); ++d) {
      (*out->mutable_key())[std::string(LabelOf(options_.group_by[d]).short_name)] =
          keys_of_->Label(keys_[i], d);
    }
    AddSla(out, rate_names_[0], g.arrival);
    AddSla(out, rate_names_[1], g.accept);
    AddSla(out, rate_names_[2], g.contact);
    AddSla(out, rate_names_[3], g.on_site);
    AddRate(out, "disposal_rate", g.disposed, g.records - g.cancelled,
            {{"cancelled or duplicate", g.cancelled}});
    AddRate(out, "mediation_success_rate", g.med_succeeded, g.med_started);
    AddRate(out, "non_police_share", g.non_police, g.records);
    // Seed 003's 33.5%: non-police matters among 110 calls (警情), other channels excluded.
    AddRate(out, "non_police_share_of_110", g.non_police_110, g.calls_110,
            {{"not a 110 call", g.records - g.calls_110}});
    // 110 ↔ 12345 linkage, per direction (国办发〔2022〕12号 asks for the counts each way): the
    // seeds' 非警务警情分流 end to end is the 110 calls handed to 12345.
    AddRate(out, "transferred_110_to_12345", g.to_12345, g.calls_110,
            {{"not a 110 call", g.records - g.calls_110}});
    AddRate(out, "transferred_12345_to_110", g.to_110, g.calls_12345,
            {{"not a 12345 call", g.records - g.calls_12345}});
    AddRate(out, "emergency_pushed_12345_to_110", g.emergency_pushes, g.calls_12345);
    AddRate(out, "three_way_call_kept_by_first_receiver", g.first_receiver_kept, g.three_way_calls);
    // 并单: requests merged into another order (its requester kept there), over all requests.
    AddRate(out, "merged_into_another_order", g.merged, g.records);
    AddRate(out, "satisfaction_rate", g.satisfied, g.revisited - g.rating_set_aside,
            {{"not revisited", g.records - g.revisited},
             {"bad rating set aside on review", g.rating_set_aside}});
    // The hotline's other two of 三率, over the revisits that asked.
    AddRate(out, "contacted_rate", g.contacted, g.asked_contacted,
            {{"not asked", g.revisited - g.asked_contacted}});
    AddRate(out, "solved_rate", g.solved, g.asked_solved,
            {{"not asked", g.revisited - g.asked_solved}});
    AddRate(out, "reopen_rate", g.reopened, g.revisited);
    AddRate(out, "civil_to_criminal", g.civil_to_criminal, g.criminal);
    // 协办: cases with co-handlers among all (each case once), and the co-handlers credited one
    // by one: those that accepted within their own accept clock.
    AddRate(out, "co_handled_share", g.co_handled, g.records);
    AddRate(out, "co_handler_accept_on_time", g.co_on_time, g.co_handlers);
    for (int d = 0; d < kDurations; ++d) {
      const DurationSketch& s = g.durations[d];
      v1::Distribution* dist = out->add_distributions();
      dist->set_name(kDurationNames[d]);
      dist->set_count(s.count());
      if (s.count() > 0) {  // an empty distribution has no percentiles: left absent, never 0
        const std::array<double, 3>& p = percentiles[i * kDurations + d];
        dist->set_p50(p[0]);
        dist->set_p90(p[1]);
        dist->set_p95(p[2]);
        dist->set_mean(s.mean());
      }
      dist->set_approximate(!s.exact());
      dist->set_relative_error(s.relative_error());
      if (g.missing[d] > 0) (*dist->mutable_excluded())["missing"] = g.missing[d];
      if (s.negative() > 0) (*dist->mutable_excluded())["negative interval"] = s.negative();
    }
    for (size_t k = 0; k < windows_.size(); ++k) {
      const PeriodWindows& w = windows_[k];
      const absl::string_view period = LabelOf(w.kind).short_name;
      AddComparison(out, "incidents", "yoy", period, w.start, w.end, w.yoy_start, w.yoy_end,
                    g.periods[k][0], g.periods[k][1]);
      AddComparison(out, "incidents", "pop", period, w.start, w.end, w.pop_start, w.pop_end,
                    g.periods[k][0], g.periods[k][2]);
    }
    if (options_.baseline.has_value()) {
      // Time saved against the baseline (分流 用时缩短, 处置时间缩减): a comparison of means, made
      // only when both periods have samples (an empty period has no mean, not a mean of 0).
      const auto compare = [&](const std::string& measure, const DurationSketch& now, int64_t sum,
                               int64_t n) {
        if (now.count() == 0 || n == 0) return;
        AddComparison(out, measure, "baseline", "baseline", options_.period_start,
                      options_.period_end, options_.baseline->first, options_.baseline->second,
                      static_cast<int64_t>(now.mean()), sum / n);
      };
      compare("mean_divert_seconds", g.durations[metrics_internal::kDivertD], g.base_divert_sum,
              g.base_divert_n);
      compare("mean_resolve_seconds", g.durations[metrics_internal::kResolveD], g.base_resolve_sum,
              g.base_resolve_n);
    }
  }
  return report;
}

}  // namespace fengqiao
