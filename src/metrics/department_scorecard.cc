// Department scorecards (部门工单考核): one pass over case records, counters per department and
// period, scored by the policy at Report().
#include "fengqiao/metrics/department_scorecard.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "fengqiao/metrics/case_record_reader.h"
#include "fengqiao/metrics/scorecard_policy.h"
#include "fengqiao/status_macros.h"
#include "fengqiao/vocabulary.h"
#include "internal/time_util.h"
#include "metrics/internal/partial_envelope.h"

namespace fengqiao {
namespace {

// Version 1 of the scorecards' payload: a MetricsPartialPayload whose group keys are
// department * 2 + period (0 the period scored, 1 the one before) and whose counters are
// DepartmentScorecards::Counter in order.
constexpr uint32_t kFormatVersion = 1;

// Where a record's clock stands as of the scorecard: on time, late, or left out (by reason).
enum class ClockOutcome { kOnTime, kLate, kNoClock, kNotYetDue, kNegative };

ClockOutcome Judge(int64_t reported_at, int32_t due_s, int32_t met_s, int64_t as_of_s) {
  if (due_s == kStepNotHappened) return ClockOutcome::kNoClock;
  if (due_s < kStepNotHappened || met_s < kStepNotHappened) return ClockOutcome::kNegative;
  if (met_s != kStepNotHappened)
    return met_s <= due_s ? ClockOutcome::kOnTime : ClockOutcome::kLate;
  return reported_at + due_s <= as_of_s ? ClockOutcome::kLate : ClockOutcome::kNotYetDue;
}

void Tally(DepartmentScorecards::Counter first, ClockOutcome outcome, bool cancelled,
           std::array<int64_t, DepartmentScorecards::kCounters>& c) {
  // first = kSignoffDue or kCompleteDue; the counters after it are in the same order.
  const int due = first, on_time = first + 1, no_clock = first + 2, not_yet = first + 3,
            cancelled_at = first + 4, negative = first + 5;
  if (outcome == ClockOutcome::kNoClock) {
    ++c[no_clock];
  } else if (outcome == ClockOutcome::kNegative) {
    ++c[negative];
  } else if (cancelled) {
    ++c[cancelled_at];
  } else if (outcome == ClockOutcome::kNotYetDue) {
    ++c[not_yet];
  } else {
    ++c[due];
    if (outcome == ClockOutcome::kOnTime) ++c[on_time];
  }
}

struct IndicatorCounts {
  int64_t numerator = 0, denominator = 0;
  bool lower_is_better = false;
  std::vector<std::pair<const char*, int64_t>> excluded;
};

IndicatorCounts CountsOf(v1::ScorecardIndicator indicator,
                         const std::array<int64_t, DepartmentScorecards::kCounters>& c) {
  using S = DepartmentScorecards;
  auto clock = [&](int first) {
    return IndicatorCounts{c[first + 1],
                           c[first],
                           false,
                           {{"no clock", c[first + 2]},
                            {"not yet due", c[first + 3]},
                            {"cancelled", c[first + 4]},
                            {"negative interval", c[first + 5]}}};
  };
  switch (indicator) {
    case v1::SCORECARD_INDICATOR_ON_TIME_SIGNOFF:
      return clock(S::kSignoffDue);
    case v1::SCORECARD_INDICATOR_ON_TIME_COMPLETION:
      return clock(S::kCompleteDue);
    case v1::SCORECARD_INDICATOR_RETURN_RATE:
      return {c[S::kReturned], c[S::kOrders], true, {}};
    case v1::SCORECARD_INDICATOR_REDO_RATE:
      return {c[S::kRedone], c[S::kResolved], true, {}};
    case v1::SCORECARD_INDICATOR_SATISFACTION:
      return {c[S::kSatisfied], c[S::kRevisited], false, {}};
    case v1::SCORECARD_INDICATOR_SUPERVISED:
      return {c[S::kSupervised], c[S::kHandled], true, {}};
    case v1::SCORECARD_INDICATOR_EXTENDED:
      return {c[S::kExtended], c[S::kHandled], true, {}};
    default:
      return {};
  }
}

// A department's indicators and score in one period; the score is absent when no indicator had
// orders to judge.
std::optional<double> Score(const v1::ScorecardPolicy& policy,
                            const std::array<int64_t, DepartmentScorecards::kCounters>& c,
                            v1::DepartmentScore* out) {
  double points = 0, weights = 0;
  for (const v1::ScorecardWeight& w : policy.indicators()) {
    const IndicatorCounts n = CountsOf(w.indicator(), c);
    v1::IndicatorScore* s = out != nullptr ? out->add_indicators() : nullptr;
    if (s != nullptr) {
      s->set_indicator(w.indicator());
      s->set_weight(w.weight());
      v1::Rate* rate = s->mutable_rate();
      rate->set_name(std::string(LabelOf(w.indicator()).short_name));
      rate->set_numerator(n.numerator);
      rate->set_denominator(n.denominator);
      for (const auto& [why, count] : n.excluded) {
        if (count > 0) (*rate->mutable_excluded())[why] = count;
      }
    }
    if (n.denominator <= 0) continue;
    const double value = static_cast<double>(n.numerator) / static_cast<double>(n.denominator);
    const double good = n.lower_is_better ? 1.0 - value : value;
    const bool below = good < w.threshold();
    const double earned = below ? 0.0 : w.weight() * good;
    points += earned;
    weights += w.weight();
    if (s != nullptr) {
      s->mutable_rate()->set_value(value);
      s->set_good_share(good);
      s->set_points(earned);
      s->set_below_threshold(below);
    }
  }
  if (weights <= 0) return std::nullopt;
  return 100.0 * points / weights;
}

}  // namespace

DepartmentScorecards::DepartmentScorecards(ScorecardOptions options)
    : options_(std::move(options)), policy_(EffectiveScorecardPolicy(options_.policy)) {}

absl::StatusOr<std::unique_ptr<DepartmentScorecards>> DepartmentScorecards::Create(
    ScorecardOptions options) {
  if (options.as_of == absl::InfiniteFuture() || options.as_of == absl::InfinitePast()) {
    return absl::InvalidArgumentError("scorecards: as_of must be a finite time");
  }
  FENGQIAO_RETURN_IF_ERROR(CheckScorecardPolicy(options.policy));
  std::unique_ptr<DepartmentScorecards> s(new DepartmentScorecards(std::move(options)));
  s->windows_ = WindowsFor(s->policy_.period(), s->options_.as_of, s->options_.time_zone);
  s->start_s_ = absl::ToUnixSeconds(s->windows_.start);
  s->end_s_ = absl::ToUnixSeconds(s->windows_.end);
  s->prev_start_s_ = absl::ToUnixSeconds(s->windows_.pop_start);
  s->prev_end_s_ = absl::ToUnixSeconds(s->windows_.pop_end);
  s->as_of_s_ = absl::ToUnixSeconds(s->options_.as_of);
  return s;
}

void DepartmentScorecards::AddTo(Counts& c, const CaseRecord& r, bool handled,
                                 bool returned) const {
  ++c[kOrders];
  if (returned) ++c[kReturned];
  if (!handled) return;
  ++c[kHandled];
  const bool cancelled = (r.flags & kRecordCancelled) != 0;
  Tally(kSignoffDue, Judge(r.reported_at, r.signoff_due_s, r.signoff_s, as_of_s_), cancelled, c);
  Tally(kCompleteDue, Judge(r.reported_at, r.complete_due_s, r.complete_s, as_of_s_), cancelled, c);
  if (r.flags & kRecordDisposed) ++c[kResolved];
  if ((r.flags & kRecordDisposed) && (r.flags & kRecordReopened)) ++c[kRedone];
  // A bad rating the command room set aside on review (差评甄别) does not count against the
  // department, as in the metrics' satisfaction_rate.
  const bool rated = (r.flags & kRecordRevisited) && !(r.flags & kRecordRatingSetAside);
  if (rated) ++c[kRevisited];
  if (rated && (r.flags & kRecordSatisfied)) ++c[kSatisfied];
  if (r.supervision_steps > 0) ++c[kSupervised];
  c[kSupervisionSteps] += r.supervision_steps;
  if (r.extensions > 0) ++c[kExtended];
  c[kExtensionsGranted] += r.extensions;
}

void DepartmentScorecards::Add(const CaseRecord& r) {
  int slot;
  if (r.reported_at >= start_s_ && r.reported_at < end_s_) {
    slot = 0;
  } else if (r.reported_at >= prev_start_s_ && r.reported_at < prev_end_s_) {
    slot = 1;
  } else {
    return;
  }
  const int holder = r.order_department < kDepartments ? r.order_department : 0;
  for (int d = 1; d < kDepartments; ++d) {
    const bool returned = (r.returned_by >> d) & 1u;
    const bool handled = d == holder;
    if (returned || handled) AddTo(At(d, slot), r, handled, returned);
  }
}

std::string DepartmentScorecards::Fingerprint() const {
  return absl::StrCat("scorecards|", static_cast<int>(policy_.period()), "|", start_s_, "|", end_s_,
                      "|", prev_start_s_, "|", prev_end_s_, "|", as_of_s_, "|", kDepartments, "|",
                      kCounters);
}

absl::Status DepartmentScorecards::Merge(const DepartmentScorecards& other) {
  if (other.Fingerprint() != Fingerprint()) {
    return absl::InvalidArgumentError(
        "scorecards: cannot merge partial results of another period or as_of");
  }
  for (size_t i = 0; i < counts_.size(); ++i) {
    for (int k = 0; k < kCounters; ++k) counts_[i][k] += other.counts_[i][k];
  }
  return absl::OkStatus();
}

std::string DepartmentScorecards::SerializePartial() const {
  v1::MetricsPartialPayload payload;
  for (size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i][kOrders] == 0) continue;
    v1::MetricsPartialGroup* g = payload.add_groups();
    g->set_key(i);
    for (int64_t v : counts_[i]) g->add_counters(v);
  }
  return metrics_internal::SealPartial(kFormatVersion, Fingerprint(), payload.SerializeAsString());
}

absl::Status DepartmentScorecards::MergeSerialized(absl::string_view data) {
  std::string bytes;
  FENGQIAO_RETURN_IF_ERROR(
      metrics_internal::OpenPartial(data, kFormatVersion, Fingerprint(), "scorecards", &bytes));
  v1::MetricsPartialPayload payload;
  auto malformed = [](const std::string& why) {
    return absl::DataLossError(
        absl::StrCat("scorecards: partial result bytes are malformed: ", why));
  };
  if (!payload.ParseFromString(bytes)) return malformed("payload does not parse");
  std::array<Counts, kDepartments * 2> add{};
  for (int i = 0; i < payload.groups_size(); ++i) {
    const v1::MetricsPartialGroup& g = payload.groups(i);
    if (g.key() >= add.size() || g.counters_size() != kCounters || !g.durations().empty()) {
      return malformed(absl::StrCat("group ", i, " has the wrong key or number of counters"));
    }
    for (int k = 0; k < kCounters; ++k) {
      if (g.counters(k) < 0) return malformed(absl::StrCat("group ", i, " has a negative count"));
      add[g.key()][k] += g.counters(k);
    }
  }
  for (size_t i = 0; i < counts_.size(); ++i) {
    for (int k = 0; k < kCounters; ++k) counts_[i][k] += add[i][k];
  }
  return absl::OkStatus();
}

v1::ScorecardReport DepartmentScorecards::Report() const {
  v1::ScorecardReport report;
  report.set_time_zone(options_.time_zone.name());
  report.set_period(std::string(LabelOf(policy_.period()).short_name));
  *report.mutable_period_start() = internal::ToTimestamp(windows_.start);
  *report.mutable_period_end() = internal::ToTimestamp(windows_.end);
  *report.mutable_previous_start() = internal::ToTimestamp(windows_.pop_start);
  *report.mutable_previous_end() = internal::ToTimestamp(windows_.pop_end);
  *report.mutable_as_of() = internal::ToTimestamp(options_.as_of);
  report.mutable_sources()->CopyFrom(policy_.sources());
  std::vector<v1::DepartmentScore> ranked, unranked;
  for (int d = 1; d < kDepartments; ++d) {
    const Counts& c = At(d, 0);
    if (c[kOrders] == 0) continue;
    v1::DepartmentScore s;
    s.set_department(static_cast<v1::Department>(d));
    s.set_orders(c[kOrders]);
    s.set_handled(c[kHandled]);
    s.set_supervision_steps(c[kSupervisionSteps]);
    s.set_extensions_granted(c[kExtensionsGranted]);
    const std::optional<double> score = Score(policy_, c, &s);
    if (score) s.set_score(*score);
    if (const std::optional<double> before = Score(policy_, At(d, 1), nullptr)) {
      s.set_previous_score(*before);
    }
    (score && c[kOrders] >= policy_.min_orders() ? ranked : unranked).push_back(std::move(s));
  }
  // Best first; equal scores share a rank (相同分数排名不分先后), listed by department number.
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const v1::DepartmentScore& a, const v1::DepartmentScore& b) {
                     return a.score() > b.score();
                   });
  for (size_t i = 0; i < ranked.size(); ++i) {
    const bool tie = i > 0 && ranked[i].score() == ranked[i - 1].score();
    ranked[i].set_rank(tie ? ranked[i - 1].rank() : static_cast<int>(i) + 1);
  }
  for (const v1::DepartmentScore& s : ranked) {
    if (report.red_list_size() >= policy_.red_list_size()) break;
    if (s.score() >= policy_.red_list_min_score()) report.add_red_list(s.department());
  }
  for (auto it = ranked.rbegin(); it != ranked.rend(); ++it) {
    if (report.black_list_size() >= policy_.black_list_size()) break;
    const bool red = std::find(report.red_list().begin(), report.red_list().end(),
                               it->department()) != report.red_list().end();
    if (!red && it->score() < policy_.black_list_below_score()) {
      report.add_black_list(it->department());
    }
  }
  for (v1::DepartmentScore& s : ranked) *report.add_departments() = std::move(s);
  for (v1::DepartmentScore& s : unranked) *report.add_departments() = std::move(s);
  return report;
}

absl::StatusOr<v1::ScorecardReport> ScoreDepartments(const CaseStore& store, const GridMap& map,
                                                     const ScorecardOptions& options) {
  FENGQIAO_ASSIGN_OR_RETURN(std::unique_ptr<DepartmentScorecards> cards,
                            DepartmentScorecards::Create(options));
  FENGQIAO_ASSIGN_OR_RETURN(CaseRecordTable table, ReadCaseRecords(store, map));
  cards->AddAll(table.records);
  return cards->Report();
}

}  // namespace fengqiao
