#include "fengqiao/metrics/case_metrics.h"

#include <algorithm>
#include <cstring>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "fengqiao/force/roster.h"
#include "fengqiao/incident/incident.h"
#include "fengqiao/routing/rule_set.h"
#include "fengqiao/status_macros.h"
#include "internal/columns.h"
#include "internal/text.h"
#include "internal/time_util.h"
#include "metrics/internal/wire.h"

namespace fengqiao {

namespace {

enum SlaExclusion { kNotYetDue, kClosedWithoutStep, kCancelled, kSlaExclusions };
constexpr const char* kSlaExclusionNames[] = {"not yet due", "closed without the step",
                                              "cancelled or duplicate"};

struct SlaTally {
  int64_t on_time = 0, late = 0;
  std::array<int64_t, kSlaExclusions> excluded{};
};

enum Duration { kAcceptD, kContactD, kArrivalD, kResolveD, kDivertD, kDurations };
constexpr const char* kDurationNames[] = {"accept_seconds", "contact_seconds", "arrival_seconds",
                                          "resolve_seconds", "divert_seconds"};

absl::Time AddYears(absl::Time t, int years, absl::TimeZone tz) {
  const absl::CivilSecond c = absl::ToCivilSecond(t, tz);
  int day = c.day();
  // Leap-day rule for year-on-year: 29 February maps to 28 February.
  if (c.month() == 2 && day == 29) day = 28;
  return absl::FromCivil(
      absl::CivilSecond(c.year() + years, c.month(), day, c.hour(), c.minute(), c.second()), tz);
}

}  // namespace

struct CaseMetrics::Group {
  int64_t records = 0, police = 0, non_police = 0, disputes = 0, criminal = 0, cancelled = 0,
          disposed = 0, med_started = 0, med_succeeded = 0, revisited = 0, satisfied = 0,
          reopened = 0, civil_to_criminal = 0;
  SlaTally arrival, accept, contact, on_site;
  std::array<DurationSketch, kDurations> durations;
  std::array<int64_t, kDurations> missing{};
  std::vector<std::array<int64_t, 3>> periods;  // current, yoy, pop per window
  int64_t base_divert_n = 0, base_divert_sum = 0, base_resolve_n = 0, base_resolve_sum = 0;

  void Merge(const Group& o);
};

namespace {

// Every integer counter of a group, in one fixed order: Merge adds them pairwise,
// SerializePartial / MergeSerialized write and read them in this order. `G` may be const.
template <typename G, typename F>
void ForEachCounter(G& g, F f) {
  for (auto* v : {&g.records, &g.police, &g.non_police, &g.disputes, &g.criminal, &g.cancelled,
                  &g.disposed, &g.med_started, &g.med_succeeded, &g.revisited, &g.satisfied,
                  &g.reopened, &g.civil_to_criminal, &g.base_divert_n, &g.base_divert_sum,
                  &g.base_resolve_n, &g.base_resolve_sum}) {
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

}  // namespace

void CaseMetrics::Group::Merge(const Group& o) {
  std::vector<int64_t*> mine;
  ForEachCounter(*this, [&](int64_t& v) { mine.push_back(&v); });
  size_t i = 0;
  ForEachCounter(o, [&](const int64_t& v) { *mine[i++] += v; });
  for (int d = 0; d < kDurations; ++d) durations[d].Merge(o.durations[d]);
}

PeriodWindows WindowsFor(PeriodKind kind, absl::Time as_of, absl::TimeZone tz) {
  PeriodWindows w;
  w.kind = kind;
  w.end = as_of;
  // The period that holds the instant just before as_of.
  const absl::CivilDay day = absl::ToCivilDay(as_of - absl::Nanoseconds(1), tz);
  absl::CivilDay start_day, prev_start_day;
  switch (kind) {
    case PeriodKind::kWeekToDate: {
      start_day = day;
      while (absl::GetWeekday(start_day) != absl::Weekday::monday)
        --start_day;  // CompStat: Mon-Sun
      prev_start_day = start_day - 7;
      break;
    }
    case PeriodKind::kDays28:
      w.start = as_of - absl::Hours(24 * 28);
      w.pop_start = w.start - absl::Hours(24 * 28);
      w.pop_end = w.start;
      w.yoy_start = AddYears(w.start, -1, tz);
      w.yoy_end = AddYears(w.end, -1, tz);
      return w;
    case PeriodKind::kMonth: {
      start_day = absl::CivilDay(absl::CivilMonth(day));
      prev_start_day = absl::CivilDay(absl::CivilMonth(day) - 1);
      break;
    }
    case PeriodKind::kQuarter: {
      const absl::CivilMonth m(day);
      const absl::CivilMonth q(m.year(), (m.month() - 1) / 3 * 3 + 1);
      start_day = absl::CivilDay(q);
      prev_start_day = absl::CivilDay(q - 3);
      break;
    }
    case PeriodKind::kYearToDate: {
      start_day = absl::CivilDay(absl::CivilYear(day));
      prev_start_day = absl::CivilDay(absl::CivilYear(day) - 1);
      break;
    }
  }
  w.start = absl::FromCivil(start_day, tz);
  w.pop_start = absl::FromCivil(prev_start_day, tz);
  // The previous period, cut to the same length (never past the current period's start).
  w.pop_end = std::min(w.pop_start + (w.end - w.start), w.start);
  w.yoy_start = AddYears(w.start, -1, tz);
  w.yoy_end = AddYears(w.end, -1, tz);
  if (kind == PeriodKind::kYearToDate) {
    w.pop_start = w.yoy_start;  // the year before is the only previous period of a YTD
    w.pop_end = w.yoy_end;
  }
  return w;
}

absl::string_view DimensionName(Dimension d) {
  switch (d) {
    case Dimension::kGrid:
      return "grid";
    case Dimension::kCommunity:
      return "community";
    case Dimension::kStreet:
      return "street";
    case Dimension::kDistrict:
      return "district";
    case Dimension::kCategory:
      return "category";
    case Dimension::kChannel:
      return "channel";
    case Dimension::kTier:
      return "tier";
    case Dimension::kForce:
      return "force";
  }
  return "";
}

absl::string_view PeriodKindName(PeriodKind k) {
  switch (k) {
    case PeriodKind::kWeekToDate:
      return "week_to_date";
    case PeriodKind::kDays28:
      return "28_days";
    case PeriodKind::kMonth:
      return "month";
    case PeriodKind::kQuarter:
      return "quarter";
    case PeriodKind::kYearToDate:
      return "year_to_date";
  }
  return "";
}

CaseMetrics::CaseMetrics(const GridMap& map, MetricsOptions options, absl::TimeZone tz)
    : map_(map), options_(std::move(options)), tz_(tz) {}
CaseMetrics::~CaseMetrics() = default;

absl::StatusOr<std::unique_ptr<CaseMetrics>> CaseMetrics::Create(const GridMap& map,
                                                                 MetricsOptions options) {
  if (options.group_by.size() > 4) {
    return absl::InvalidArgumentError(
        absl::StrCat("metrics: ", options.group_by.size(), " dimensions; at most 4"));
  }
  if (!(options.period_start < options.period_end)) {
    return absl::InvalidArgumentError("metrics: period_start must be before period_end");
  }
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(options.time_zone, &tz)) {
    return absl::InvalidArgumentError(absl::StrCat("metrics: time zone \"", options.time_zone,
                                                   "\" not found (is tzdata installed?)"));
  }
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
  for (PeriodKind k : o.comparisons) {
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
  m->ancestors_.resize(map.size());
  for (int a = 0; a < map.size(); ++a) {
    const std::string& code = map.proto().areas(a).code();
    int i = 0;
    for (v1::AreaLevel level :
         {v1::AREA_LEVEL_COMMUNITY, v1::AREA_LEVEL_STREET, v1::AREA_LEVEL_DISTRICT}) {
      const v1::Area* up = map.AncestorAt(code, level);
      m->ancestors_[a][i++] = up == nullptr ? -1 : map.AreaIndex(up->code());
    }
  }
  return m;
}

uint64_t CaseMetrics::KeyOf(const CaseRecord& r) const {
  uint64_t key = 0;
  const bool known = r.area >= 0 && r.area < static_cast<int32_t>(ancestors_.size());
  for (size_t i = 0; i < options_.group_by.size(); ++i) {
    uint64_t code = 0;
    switch (options_.group_by[i]) {
      case Dimension::kGrid:
        code = known ? r.area + 1 : 0;
        break;
      case Dimension::kCommunity:
        code = known ? ancestors_[r.area][0] + 1 : 0;
        break;
      case Dimension::kStreet:
        code = known ? ancestors_[r.area][1] + 1 : 0;
        break;
      case Dimension::kDistrict:
        code = known ? ancestors_[r.area][2] + 1 : 0;
        break;
      case Dimension::kCategory:
        code = r.kind == v1::INCIDENT_KIND_DISPUTE      ? 100 + r.dispute_type
               : r.kind == v1::INCIDENT_KIND_NON_POLICE ? 400 + r.department
                                                        : r.kind;
        break;
      case Dimension::kChannel:
        code = r.channel;
        break;
      case Dimension::kTier:
        code = r.tier;
        break;
      case Dimension::kForce:
        code = r.force;
        break;
    }
    key |= (code & 0xffff) << (16 * i);
  }
  return key;
}

CaseMetrics::Group& CaseMetrics::GroupFor(uint64_t key) {
  auto [it, inserted] = index_.emplace(key, groups_.size());
  if (inserted) {
    groups_.push_back(std::make_unique<Group>());
    groups_.back()->periods.assign(windows_.size(), {0, 0, 0});
    keys_.push_back(key);
  }
  return *groups_[it->second];
}

namespace {

void Tally(SlaTally& t, int32_t step_s, int threshold, const CaseRecord& r, int64_t as_of) {
  if (step_s >= 0) {
    (step_s <= threshold ? t.on_time : t.late) += 1;
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
  Group& g = GroupFor(KeyOf(r));
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
  g.satisfied += (r.flags & kRecordSatisfied) ? 1 : 0;
  g.reopened += (r.flags & kRecordReopened) ? 1 : 0;
  g.civil_to_criminal += (r.flags & kRecordCivilToCriminal) ? 1 : 0;
  if (r.flags & kRecordOnSiteRequired) {
    Tally(g.arrival, r.arrival_s, options_.arrival_seconds, r, as_of_s_);
    Tally(g.on_site, r.arrival_s, options_.on_site_seconds, r, as_of_s_);
  }
  Tally(g.accept, r.accept_s, options_.accept_seconds, r, as_of_s_);
  Tally(g.contact, r.contact_s, options_.contact_seconds, r, as_of_s_);
  const int32_t steps[kDurations] = {r.accept_s, r.contact_s, r.arrival_s, r.resolve_s,
                                     police ? -2 : r.assign_s};
  for (int i = 0; i < kDurations; ++i) {
    if (steps[i] >= 0) {
      g.durations[i].Add(steps[i]);
    } else if (steps[i] == -1) {
      ++g.missing[i];
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
                                                   {"flags", c.flags.size()},
                                                   {"assign_s", c.assign_s.size()},
                                                   {"accept_s", c.accept_s.size()},
                                                   {"contact_s", c.contact_s.size()},
                                                   {"arrival_s", c.arrival_s.size()},
                                                   {"resolve_s", c.resolve_s.size()}}));
  auto at = [](const auto& span, size_t i, auto missing) {
    return span.empty() ? missing : span[i];
  };
  for (size_t i = 0; i < n; ++i) {
    CaseRecord r;
    r.reported_at = c.reported_at[i];
    r.area = at(c.area, i, int32_t{-1});
    r.kind = at(c.kind, i, uint8_t{0});
    r.dispute_type = at(c.dispute_type, i, uint8_t{0});
    r.department = at(c.department, i, uint8_t{0});
    r.channel = at(c.channel, i, uint8_t{0});
    r.tier = at(c.tier, i, uint8_t{0});
    r.force = at(c.force, i, uint8_t{0});
    r.flags = at(c.flags, i, uint32_t{0});
    r.assign_s = at(c.assign_s, i, int32_t{-1});
    r.accept_s = at(c.accept_s, i, int32_t{-1});
    r.contact_s = at(c.contact_s, i, int32_t{-1});
    r.arrival_s = at(c.arrival_s, i, int32_t{-1});
    r.resolve_s = at(c.resolve_s, i, int32_t{-1});
    Add(r);
  }
  return absl::OkStatus();
}

absl::Status CaseMetrics::Merge(const CaseMetrics& other) {
  if (&other.map_ != &map_ || other.options_.group_by != options_.group_by ||
      other.start_s_ != start_s_ || other.end_s_ != end_s_ || other.as_of_s_ != as_of_s_ ||
      other.window_bounds_ != window_bounds_ || other.options_.baseline != options_.baseline ||
      other.options_.arrival_seconds != options_.arrival_seconds ||
      other.options_.accept_seconds != options_.accept_seconds ||
      other.options_.contact_seconds != options_.contact_seconds ||
      other.options_.on_site_seconds != options_.on_site_seconds) {
    return absl::InvalidArgumentError(
        "metrics: cannot merge partial results computed with different options or maps");
  }
  for (size_t i = 0; i < other.groups_.size(); ++i)
    GroupFor(other.keys_[i]).Merge(*other.groups_[i]);
  return absl::OkStatus();
}

namespace {

using metrics_internal::GetInt;
using metrics_internal::PutInt;

}  // namespace

std::string CaseMetrics::Fingerprint() const {
  std::string f = absl::StrCat(map_.proto().name(), "|", map_.size(), "|", start_s_, "|", end_s_,
                               "|", as_of_s_, "|", baseline_start_s_, "|", baseline_end_s_, "|",
                               options_.arrival_seconds, ",", options_.accept_seconds, ",",
                               options_.contact_seconds, ",", options_.on_site_seconds, "|");
  for (Dimension d : options_.group_by) absl::StrAppend(&f, DimensionName(d), ",");
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

void AddSla(v1::MetricsGroup* g, const char* name, const SlaTally& t) {
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

std::string AreaLabel(const GridMap& map, uint64_t code) {
  if (code == 0) return "(unknown)";
  return map.proto().areas(static_cast<int>(code - 1)).code();
}

std::string CategoryLabel(uint64_t code) {
  if (code >= 400) return std::string(DepartmentName(static_cast<v1::Department>(code - 400)));
  if (code >= 100) {
    return absl::StrCat("dispute: ", DisputeTypeName(static_cast<v1::DisputeType>(code - 100)));
  }
  return std::string(IncidentKindName(static_cast<v1::IncidentKind>(code)));
}

}  // namespace

v1::MetricsReport CaseMetrics::Report() const {
  v1::MetricsReport report;
  report.set_title("fengqiao case metrics");
  report.set_time_zone(options_.time_zone);
  if (options_.period_start != absl::InfinitePast()) {
    *report.mutable_period_start() = internal::ToTimestamp(options_.period_start);
  }
  if (options_.period_end != absl::InfiniteFuture()) {
    *report.mutable_period_end() = internal::ToTimestamp(options_.period_end);
  }
  for (Dimension d : options_.group_by) report.add_group_by(std::string(DimensionName(d)));
  std::vector<size_t> order(groups_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return keys_[a] < keys_[b]; });
  for (size_t i : order) {
    const Group& g = *groups_[i];
    v1::MetricsGroup* out = report.add_groups();
    for (size_t d = 0; d < options_.group_by.size(); ++d) {
      const uint64_t code = (keys_[i] >> (16 * d)) & 0xffff;
      std::string label;
      switch (options_.group_by[d]) {
        case Dimension::kGrid:
        case Dimension::kCommunity:
        case Dimension::kStreet:
        case Dimension::kDistrict:
          label = AreaLabel(map_, code);
          break;
        case Dimension::kCategory:
          label = CategoryLabel(code);
          break;
        case Dimension::kChannel:
          label = std::string(ChannelName(static_cast<v1::Channel>(code)));
          break;
        case Dimension::kTier:
          label = std::string(TierName(static_cast<v1::Tier>(code)));
          break;
        case Dimension::kForce:
          label = std::string(ForceTypeName(static_cast<v1::ForceType>(code)));
          break;
      }
      (*out->mutable_key())[std::string(DimensionName(options_.group_by[d]))] = label;
    }
    AddSla(out, "arrival_within_8min", g.arrival);
    AddSla(out, "accept_within_1min", g.accept);
    AddSla(out, "contact_within_3min", g.contact);
    AddSla(out, "on_site_within_10min", g.on_site);
    AddRate(out, "disposal_rate", g.disposed, g.records - g.cancelled,
            {{"cancelled or duplicate", g.cancelled}});
    AddRate(out, "mediation_success_rate", g.med_succeeded, g.med_started);
    AddRate(out, "non_police_share", g.non_police, g.records);
    AddRate(out, "satisfaction_rate", g.satisfied, g.revisited,
            {{"not revisited", g.records - g.revisited}});
    AddRate(out, "reopen_rate", g.reopened, g.revisited);
    AddRate(out, "civil_to_criminal", g.civil_to_criminal, g.criminal);
    for (int d = 0; d < kDurations; ++d) {
      const DurationSketch& s = g.durations[d];
      v1::Distribution* dist = out->add_distributions();
      dist->set_name(kDurationNames[d]);
      dist->set_count(s.count());
      dist->set_p50(s.Quantile(0.5));
      dist->set_p90(s.Quantile(0.9));
      dist->set_p95(s.Quantile(0.95));
      dist->set_mean(s.mean());
      dist->set_approximate(!s.exact());
      if (g.missing[d] > 0) (*dist->mutable_excluded())["missing"] = g.missing[d];
    }
    for (size_t k = 0; k < windows_.size(); ++k) {
      const PeriodWindows& w = windows_[k];
      const absl::string_view period = PeriodKindName(w.kind);
      AddComparison(out, "incidents", "yoy", period, w.start, w.end, w.yoy_start, w.yoy_end,
                    g.periods[k][0], g.periods[k][1]);
      AddComparison(out, "incidents", "pop", period, w.start, w.end, w.pop_start, w.pop_end,
                    g.periods[k][0], g.periods[k][2]);
    }
    if (options_.baseline.has_value()) {
      const auto mean = [](int64_t sum, int64_t n) { return n == 0 ? 0 : sum / n; };
      const DurationSketch& divert = g.durations[kDivertD];
      const DurationSketch& resolve = g.durations[kResolveD];
      AddComparison(out, "mean_divert_seconds", "baseline", "baseline", options_.period_start,
                    options_.period_end, options_.baseline->first, options_.baseline->second,
                    static_cast<int64_t>(divert.mean()), mean(g.base_divert_sum, g.base_divert_n));
      AddComparison(out, "mean_resolve_seconds", "baseline", "baseline", options_.period_start,
                    options_.period_end, options_.baseline->first, options_.baseline->second,
                    static_cast<int64_t>(resolve.mean()),
                    mean(g.base_resolve_sum, g.base_resolve_n));
    }
  }
  return report;
}

namespace {

std::string Percent(const v1::MetricsGroup& g, const std::string& name) {
  for (const v1::Rate& r : g.rates()) {
    if (r.name() == name) {
      return r.has_value() ? absl::StrFormat("%.1f%%", 100 * r.value()) : std::string("n/a");
    }
  }
  return "";
}

const v1::Distribution* Dist(const v1::MetricsGroup& g, const std::string& name) {
  for (const v1::Distribution& d : g.distributions()) {
    if (d.name() == name) return &d;
  }
  return nullptr;
}

}  // namespace

std::string FormatCompStat(const v1::MetricsReport& report) {
  std::string out;
  absl::StrAppend(&out, report.title(), " (", report.time_zone(), ")");
  if (report.has_period_start() && report.has_period_end()) {
    const absl::TimeZone tz = absl::FixedTimeZone(8 * 3600);
    absl::StrAppend(&out, ", ",
                    absl::FormatTime("%Y-%m-%d", internal::ToTime(report.period_start()), tz),
                    " to ", absl::FormatTime("%Y-%m-%d", internal::ToTime(report.period_end()), tz),
                    " (end exclusive)");
  }
  absl::StrAppend(&out, "\n");
  std::string comparison_header;
  if (!report.groups().empty()) {
    for (const v1::PeriodComparison& c : report.groups(0).comparisons()) {
      if (c.measure() == "incidents") {
        absl::StrAppend(
            &comparison_header,
            absl::StrFormat(" %12s", absl::StrCat(c.period().substr(0, 5), " ", c.kind())));
      }
    }
  }
  absl::StrAppend(
      &out, absl::StrFormat("%-36s %6s %7s %7s %7s %7s %7s %7s %8s %8s%s\n",
                            absl::StrJoin(report.group_by(), " x "), "N", "8min", "acc1m", "disp",
                            "med", "satis", "c2c", "p50 h", "p90 h", comparison_header));
  for (const v1::MetricsGroup& g : report.groups()) {
    std::vector<std::string> labels;
    for (const std::string& d : report.group_by()) labels.push_back(g.key().at(d));
    std::string label = labels.empty() ? "all" : absl::StrJoin(labels, " / ");
    int64_t n = 0, c2c = 0;
    for (const v1::Rate& r : g.rates()) {
      if (r.name() == "non_police_share") n = r.denominator();
      if (r.name() == "civil_to_criminal") c2c = r.numerator();
    }
    const v1::Distribution* resolve = Dist(g, "resolve_seconds");
    std::string comparisons;
    for (const v1::PeriodComparison& c : g.comparisons()) {
      if (c.measure() != "incidents") continue;
      absl::StrAppend(&comparisons,
                      c.has_percent_change()
                          ? absl::StrFormat(" %+11.1f%%", c.percent_change())
                          : absl::StrFormat(" %12s", absl::StrCat("n/a(", c.current(), "/0)")));
    }
    absl::StrAppend(
        &out, internal::PadRight(label, 36),
        absl::StrFormat(" %6d %7s %7s %7s %7s %7s %7d %8.1f %8.1f%s\n", n,
                        Percent(g, "arrival_within_8min"), Percent(g, "accept_within_1min"),
                        Percent(g, "disposal_rate"), Percent(g, "mediation_success_rate"),
                        Percent(g, "satisfaction_rate"), c2c,
                        resolve != nullptr ? resolve->p50() / 3600 : 0.0,
                        resolve != nullptr ? resolve->p90() / 3600 : 0.0, comparisons));
  }
  return out;
}

}  // namespace fengqiao
