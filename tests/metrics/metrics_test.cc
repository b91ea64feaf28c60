#include <cmath>
#include <random>
#include <thread>

#include "fengqiao/closure/case_loop.h"
#include "fengqiao/metrics/case_metrics.h"
#include "fengqiao/metrics/case_record_reader.h"
#include "fengqiao/metrics/duration_sketch.h"
#include "fengqiao/status_macros.h"
#include "fengqiao/store/memory_case_store.h"
#include "fengqiao/vocabulary.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "internal/time_util.h"
#include "testing/sample_district.h"
#include "testing/status_matchers.h"
#include "tools/compstat_format.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::StatusIs;
using ::testing::HasSubstr;

const absl::TimeZone kChina = absl::FixedTimeZone(8 * 3600);

// Reports are equal field by field, exactly.
bool SameReport(const google::protobuf::Message& a, const google::protobuf::Message& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}
absl::Time Local(int y, int m, int d, int h = 0, int min = 0) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, h, min), kChina);
}

// ---- Distributions ----

TEST(DurationSketch, SmallInputsAreExactWithLinearInterpolationBetweenRanks) {
  DurationSketch s;
  for (int v : {4, 1, 3, 2}) s.Add(v);
  EXPECT_TRUE(s.exact());
  EXPECT_DOUBLE_EQ(s.Quantile(0.5), 2.5);  // R type 7: h = 1.5
  EXPECT_DOUBLE_EQ(s.Quantile(0.9), 3.7);  // h = 2.7
  EXPECT_DOUBLE_EQ(s.Quantile(0.0), 1.0);
  EXPECT_DOUBLE_EQ(s.Quantile(1.0), 4.0);
  EXPECT_DOUBLE_EQ(s.mean(), 2.5);
  EXPECT_TRUE(std::isnan(DurationSketch().Quantile(0.5)));  // empty: no percentile, not 0
  EXPECT_TRUE(std::isnan(DurationSketch().mean()));
}

TEST(DurationSketch, LargeInputsStayWithinTheDocumentedRelativeError) {
  std::mt19937_64 rng(5);
  std::lognormal_distribution<double> dist(8.0, 1.5);  // seconds: minutes to days
  DurationSketch sketch;
  std::vector<int64_t> exact;
  for (int i = 0; i < 200000; ++i) {
    const int64_t v = static_cast<int64_t>(dist(rng));
    sketch.Add(v);
    exact.push_back(v);
  }
  ASSERT_FALSE(sketch.exact());
  std::sort(exact.begin(), exact.end());
  for (double q : {0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999}) {
    const double h = (exact.size() - 1) * q;
    const double lo = exact[static_cast<size_t>(std::floor(h))];
    const double hi = exact[static_cast<size_t>(std::ceil(h))];
    const double truth = lo + (hi - lo) * (h - std::floor(h));
    EXPECT_NEAR(sketch.Quantile(q), truth, truth * sketch.relative_error() + 1e-9) << "q=" << q;
  }
}

TEST(DurationSketch, MergedSketchesEqualTheSketchOfTheUnion) {
  std::mt19937_64 rng(9);
  // A small exact limit, so that the 3,000 samples are folded and the bucket path is merged.
  const DurationSketchOptions folding{.exact_limit = 512, .relative_error = 1.0 / 128};
  DurationSketch whole(folding), a(folding), b(folding);
  for (int i = 0; i < 3000; ++i) {
    const int64_t v = static_cast<int64_t>(rng() % 100000);
    whole.Add(v);
    (i % 3 == 0 ? a : b).Add(v);
  }
  a.Merge(b);
  EXPECT_TRUE(a == whole);
  EXPECT_DOUBLE_EQ(a.Quantile(0.9), whole.Quantile(0.9));
  DurationSketch small1, small2, both;
  for (int v : {5, 7}) small1.Add(v), both.Add(v);
  for (int v : {1, 9}) small2.Add(v), both.Add(v);
  small1.Merge(small2);
  EXPECT_TRUE(small1.exact());
  EXPECT_TRUE(small1 == both);
}

// Two threads reading one sketch (and one CaseMetrics report) at once: reading never writes, so
// both see the single-threaded figures (and ThreadSanitizer sees no race).
TEST(DurationSketch, TwoThreadsReadOneSketchAtOnce) {
  DurationSketch exact, folded;
  std::mt19937_64 rng(3);
  for (int i = 0; i < 400; ++i) exact.Add(static_cast<int64_t>(rng() % 5000));
  for (int i = 0; i < 5000; ++i) folded.Add(static_cast<int64_t>(rng() % 500000));
  DurationSketch exact_copy = exact, folded_copy = folded;
  const std::vector<double> qs = {0.1, 0.5, 0.9, 0.95, 0.99};
  std::vector<double> expected;
  for (double q : qs) expected.push_back(exact_copy.Quantile(q));
  for (double q : qs) expected.push_back(folded_copy.Quantile(q));
  std::vector<double> seen[2];
  auto read = [&](std::vector<double>* out) {
    for (int round = 0; round < 200; ++round) {
      out->clear();
      for (double q : qs) out->push_back(exact.Quantile(q));
      for (double q : qs) out->push_back(folded.Quantile(q));
    }
  };
  std::thread a(read, &seen[0]), b(read, &seen[1]);
  a.join();
  b.join();
  EXPECT_EQ(seen[0], expected);
  EXPECT_EQ(seen[1], expected);
}

// ---- Checked numbers: six hand-written cases, every figure worked out by hand ----

class CheckedNumbers : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(map_, GridMap::Parse(testing::TinyGridMapText(), "tiny.textproto"));
  }
  CaseRecord Record(v1::IncidentKind kind, int minutes_before_as_of) {
    CaseRecord r;
    r.reported_at = absl::ToUnixSeconds(as_of_) - 60 * minutes_before_as_of;
    r.area = map_->AreaIndex("g11");
    r.kind = kind;
    if (kind != v1::INCIDENT_KIND_NON_POLICE) r.flags |= kRecordPolice;
    r.flags |= kRecordOnSiteRequired;
    return r;
  }
  std::shared_ptr<const GridMap> map_;
  const absl::Time as_of_ = Local(2026, 11, 1);
};

const v1::Rate& RateOf(const v1::MetricsGroup& g, const std::string& name) {
  for (const v1::Rate& r : g.rates()) {
    if (r.name() == name) return r;
  }
  static const v1::Rate none;
  ADD_FAILURE() << "no rate " << name;
  return none;
}

TEST_F(CheckedNumbers, SixCasesWorkedOutByHand) {
  std::vector<CaseRecord> records;
  // 1. A neighbour dispute handled in time, mediated, revisited satisfied, closed.
  CaseRecord r1 = Record(v1::INCIDENT_KIND_DISPUTE, 3000);
  r1.dispute_type = v1::DISPUTE_TYPE_NEIGHBOUR;
  r1.accept_s = 30, r1.contact_s = 100, r1.arrival_s = 300, r1.resolve_s = 3600;
  r1.flags |= kRecordDisposed | kRecordMediationStarted | kRecordMediationSucceeded |
              kRecordRevisited | kRecordSatisfied | kRecordClosed;
  // 2. A public-order call: late to accept (90 s), contact (200 s) and the 8 minutes (500 s) but
  // within the 10-minute on-site SLA; revisited unsatisfied and reopened.
  CaseRecord r2 = Record(v1::INCIDENT_KIND_PUBLIC_ORDER, 2900);
  r2.accept_s = 90, r2.contact_s = 200, r2.arrival_s = 500, r2.resolve_s = 7200;
  r2.flags |= kRecordDisposed | kRecordRevisited | kRecordReopened;
  // 3. Sewage (城管) diverted in 40 s; never phoned (closed without contact).
  CaseRecord r3 = Record(v1::INCIDENT_KIND_NON_POLICE, 2800);
  r3.department = v1::DEPARTMENT_CITY_MANAGEMENT;
  r3.assign_s = 40, r3.accept_s = 50, r3.arrival_s = 450, r3.resolve_s = 86400;
  r3.flags |= kRecordDisposed | kRecordRevisited | kRecordSatisfied | kRecordClosed;
  // 4. A duplicate report, cancelled before anything happened; no on-site requirement.
  CaseRecord r4 = Record(v1::INCIDENT_KIND_DISPUTE, 2700);
  r4.dispute_type = v1::DISPUTE_TYPE_NOISE;
  r4.flags = (r4.flags & ~kRecordOnSiteRequired) | kRecordCancelled;
  // 5. A dispute reported exactly 10 minutes before as_of: nobody accepted, contacted or
  // arrived yet (late for 1, 3 and 8 minutes; the 10-minute SLA is not yet due).
  CaseRecord r5 = Record(v1::INCIDENT_KIND_DISPUTE, 10);
  r5.dispute_type = v1::DISPUTE_TYPE_DEBT;
  r5.flags |= kRecordMediationStarted;
  // 6. A theft between parties of an earlier dispute (民转刑), handled fast, not revisited.
  CaseRecord r6 = Record(v1::INCIDENT_KIND_CRIMINAL, 2000);
  r6.accept_s = 20, r6.contact_s = 60, r6.arrival_s = 200, r6.resolve_s = 1800;
  r6.flags |= kRecordDisposed | kRecordCivilToCriminal;
  records = {r1, r2, r3, r4, r5, r6};

  MetricsOptions options;
  options.period_start = Local(2026, 10, 1);
  options.period_end = as_of_;
  ASSERT_OK_AND_ASSIGN(auto metrics, CaseMetrics::Create(*map_, options));
  metrics->AddAll(records);
  const v1::MetricsReport report = metrics->Report();
  ASSERT_EQ(report.groups_size(), 1);
  const v1::MetricsGroup& g = report.groups(0);

  auto expect = [&](const std::string& name, int64_t num, int64_t den,
                    std::map<std::string, int64_t> excluded = {}) {
    const v1::Rate& r = RateOf(g, name);
    EXPECT_EQ(r.numerator(), num) << name;
    EXPECT_EQ(r.denominator(), den) << name;
    using Excluded = std::map<std::string, int64_t>;
    const Excluded got(r.excluded().begin(), r.excluded().end());
    EXPECT_EQ(got, excluded) << name;
    if (den > 0) {
      EXPECT_DOUBLE_EQ(r.value(), static_cast<double>(num) / den) << name;
    }
  };
  // On site within 8 minutes: r1, r3, r6 of r1, r2, r3, r5 (open, 10 min in), r6; r4 needs nobody
  // on site.
  expect("arrival_within_8min", 3, 5, {{"no on-site response needed", 1}});
  // Within 10 minutes: r1, r2, r3, r6; r5 is exactly at 10 minutes, not yet due.
  expect("on_site_within_10min", 4, 4, {{"not yet due", 1}, {"no on-site response needed", 1}});
  expect("accept_within_1min", 3, 5, {{"cancelled or duplicate", 1}});
  expect("contact_within_3min", 2, 4,
         {{"closed without the step", 1}, {"cancelled or duplicate", 1}});
  expect("disposal_rate", 4, 5, {{"cancelled or duplicate", 1}});
  expect("mediation_success_rate", 1, 2);
  expect("non_police_share", 1, 6);
  expect("satisfaction_rate", 2, 3, {{"not revisited", 3}});
  expect("reopen_rate", 1, 3);
  expect("civil_to_criminal", 1, 1);
  const v1::Distribution* resolve = nullptr;
  for (const auto& d : g.distributions()) {
    if (d.name() == "resolve_seconds") resolve = &d;
  }
  ASSERT_NE(resolve, nullptr);
  EXPECT_EQ(resolve->count(), 4);           // 1800, 3600, 7200, 86400
  EXPECT_DOUBLE_EQ(resolve->p50(), 5400);   // h = 1.5
  EXPECT_DOUBLE_EQ(resolve->p90(), 62640);  // h = 2.7: 7200 + 0.7 * 79200
  EXPECT_DOUBLE_EQ(resolve->mean(), 24750);
  EXPECT_EQ(resolve->excluded().at("missing"), 2);  // r4, r5
  EXPECT_FALSE(resolve->approximate());
}

TEST_F(CheckedNumbers, TimeSavedAgainstABaselineMonth) {
  // September (baseline): two diversions of 100 s and 200 s, resolutions of 10 h and 14 h.
  // October: one diversion of 40 s, one resolution of 6 h. Mean diversion time 150 s -> 40 s
  // (-73.3%, 分流用时缩短); mean resolution 12 h -> 6 h (-50%, 处置时间缩减).
  std::vector<CaseRecord> records;
  for (auto [minutes_before, assign, resolve] :
       {std::tuple(60 * 24 * 40, 100, 10 * 3600), std::tuple(60 * 24 * 35, 200, 14 * 3600),
        std::tuple(60 * 24 * 10, 40, 6 * 3600)}) {
    CaseRecord r = Record(v1::INCIDENT_KIND_NON_POLICE, minutes_before);
    r.department = v1::DEPARTMENT_CITY_MANAGEMENT;
    r.assign_s = assign;
    r.resolve_s = resolve;
    records.push_back(r);
  }
  MetricsOptions options;
  options.period_start = Local(2026, 10, 1);
  options.period_end = as_of_;
  options.baseline = std::make_pair(Local(2026, 9, 1), Local(2026, 10, 1));
  ASSERT_OK_AND_ASSIGN(auto metrics, CaseMetrics::Create(*map_, options));
  metrics->AddAll(records);
  const v1::MetricsGroup g = metrics->Report().groups(0);
  ASSERT_EQ(g.comparisons_size(), 2);
  EXPECT_EQ(g.comparisons(0).measure(), "mean_divert_seconds");
  EXPECT_EQ(g.comparisons(0).current(), 40);
  EXPECT_EQ(g.comparisons(0).baseline(), 150);
  EXPECT_NEAR(g.comparisons(0).percent_change(), -73.333, 1e-3);
  EXPECT_EQ(g.comparisons(1).measure(), "mean_resolve_seconds");
  EXPECT_EQ(g.comparisons(1).current(), 6 * 3600);
  EXPECT_EQ(g.comparisons(1).baseline(), 12 * 3600);
  EXPECT_DOUBLE_EQ(g.comparisons(1).percent_change(), -50.0);
}

TEST_F(CheckedNumbers, ColumnsGiveTheSameReportAsRecords) {
  std::vector<int64_t> at;
  std::vector<int32_t> area, accept, resolve;
  std::vector<uint8_t> kind, co_handlers, co_on_time;
  std::vector<uint32_t> flags;
  std::vector<CaseRecord> records;
  for (int i = 0; i < 50; ++i) {
    CaseRecord r = Record(i % 3 ? v1::INCIDENT_KIND_DISPUTE : v1::INCIDENT_KIND_FRAUD, 100 + i);
    r.accept_s = i % 7 == 0 ? -1 : 10 + i;
    r.resolve_s = i % 5 == 0 ? -1 : 1000 * i;
    r.co_handlers = static_cast<uint8_t>(i % 4 == 0 ? 2 : 0);
    r.co_on_time = static_cast<uint8_t>(i % 8 == 0 ? 1 : 0);
    records.push_back(r);
    co_handlers.push_back(r.co_handlers);
    co_on_time.push_back(r.co_on_time);
    at.push_back(r.reported_at);
    area.push_back(r.area);
    kind.push_back(r.kind);
    flags.push_back(r.flags);
    accept.push_back(r.accept_s);
    resolve.push_back(r.resolve_s);
  }
  MetricsOptions options;
  options.period_start = Local(2026, 10, 1);
  options.period_end = as_of_;
  options.group_by = {v1::DIMENSION_CATEGORY};
  ASSERT_OK_AND_ASSIGN(auto from_records, CaseMetrics::Create(*map_, options));
  from_records->AddAll(records);
  ASSERT_OK_AND_ASSIGN(auto from_columns, CaseMetrics::Create(*map_, options));
  CaseRecordColumns columns;
  columns.reported_at = at;
  columns.area = area;
  columns.kind = kind;
  columns.flags = flags;
  columns.accept_s = accept;
  columns.resolve_s = resolve;
  columns.co_handlers = co_handlers;
  columns.co_on_time = co_on_time;
  ASSERT_OK(from_columns->AddColumns(columns));
  EXPECT_TRUE(SameReport(from_columns->Report(), from_records->Report()));
  std::vector<uint8_t> short_kind = {1};
  columns.kind = short_kind;
  EXPECT_THAT(from_columns->AddColumns(columns),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("column kind has 1 rows")));
}

// 警律联调 (seed 000): a case the officer leads with the lawyer on duty and a 司法所 worker as
// co-handlers counts once; each co-handler is credited: the lawyer accepted within her 10-minute
// clock, the worker after his.
TEST_F(CheckedNumbers, ACoHandledCaseCountsOnceAndEachCoHandlerIsCredited) {
  v1::Incident incident;
  incident.set_id("c-joint");
  incident.set_kind(v1::INCIDENT_KIND_DISPUTE);
  incident.set_grid_code("g11");
  const absl::Time t0 = as_of_ - absl::Hours(48);
  incident.mutable_reported_at()->set_seconds(absl::ToUnixSeconds(t0));
  v1::Decision d;
  d.set_rule_id("police-lawyer");
  d.mutable_action()->set_tier(v1::TIER_LAWYER);
  ASSERT_OK_AND_ASSIGN(CaseLoop joint, CaseLoop::Open(incident, d, t0, "110"));
  v1::CaseEvent assign = MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, t0 + absl::Minutes(1), "desk");
  assign.set_assignee("p-1");
  ASSERT_OK(joint.Record(assign));
  for (const char* who : {"l-1", "j-1"}) {
    v1::CaseEvent add =
        MakeEvent(v1::CASE_EVENT_TYPE_ADD_CO_HANDLER, t0 + absl::Minutes(2), "desk");
    add.set_co_handler(who);
    add.mutable_sla()->mutable_accept()->set_seconds(600);
    ASSERT_OK(joint.Record(add));
  }
  ASSERT_OK(
      joint.Record(MakeEvent(v1::CASE_EVENT_TYPE_CO_HANDLER_ACCEPT, t0 + absl::Minutes(5), "l-1")));
  ASSERT_OK(joint.Record(
      MakeEvent(v1::CASE_EVENT_TYPE_CO_HANDLER_ACCEPT, t0 + absl::Minutes(30), "j-1")));
  incident.set_id("c-alone");
  ASSERT_OK_AND_ASSIGN(CaseLoop alone, CaseLoop::Open(incident, d, t0, "110"));
  CaseRecordBuilder builder(*map_);
  const CaseRecord r = builder.Add(joint.proto());
  EXPECT_EQ(r.co_handlers, 2);
  EXPECT_EQ(r.co_on_time, 1);
  MetricsOptions options;
  options.period_start = as_of_ - absl::Hours(24 * 7);
  options.period_end = as_of_;
  ASSERT_OK_AND_ASSIGN(auto metrics, CaseMetrics::Create(*map_, options));
  metrics->Add(r);
  metrics->Add(builder.Add(alone.proto()));
  const v1::MetricsReport report = metrics->Report();
  ASSERT_EQ(report.groups_size(), 1);
  const v1::MetricsGroup& g = report.groups(0);
  EXPECT_EQ(RateOf(g, "disposal_rate").denominator(), 2);  // two cases, not four
  EXPECT_EQ(RateOf(g, "co_handled_share").numerator(), 1);
  EXPECT_EQ(RateOf(g, "co_handled_share").denominator(), 2);
  EXPECT_EQ(RateOf(g, "co_handler_accept_on_time").numerator(), 1);
  EXPECT_EQ(RateOf(g, "co_handler_accept_on_time").denominator(), 2);
}

// ---- Periods ----

TEST(PeriodWindows, AMonthComparesWithTheMonthBeforeAndTheSameMonthLastYear) {
  const PeriodWindows w = WindowsFor(v1::PERIOD_KIND_MONTH, Local(2026, 11, 1), kChina);
  EXPECT_EQ(w.start, Local(2026, 10, 1));
  EXPECT_EQ(w.end, Local(2026, 11, 1));
  EXPECT_EQ(w.pop_start, Local(2026, 9, 1));
  EXPECT_EQ(w.pop_end, Local(2026, 10, 1));
  EXPECT_EQ(w.yoy_start, Local(2025, 10, 1));
  EXPECT_EQ(w.yoy_end, Local(2025, 11, 1));
}

TEST(PeriodWindows, WeeksRunMondayToSundayAndThePreviousPeriodIsCutToTheSameLength) {
  const PeriodWindows w = WindowsFor(v1::PERIOD_KIND_WEEK_TO_DATE, Local(2026, 10, 14, 10), kChina);
  EXPECT_EQ(w.start, Local(2026, 10, 12));  // Monday
  EXPECT_EQ(w.pop_start, Local(2026, 10, 5));
  EXPECT_EQ(w.pop_end, Local(2026, 10, 7, 10));
  const PeriodWindows q = WindowsFor(v1::PERIOD_KIND_QUARTER, Local(2026, 11, 15), kChina);
  EXPECT_EQ(q.start, Local(2026, 10, 1));
  EXPECT_EQ(q.pop_start, Local(2026, 7, 1));
  EXPECT_EQ(q.pop_end, Local(2026, 8, 15));
  const PeriodWindows d = WindowsFor(v1::PERIOD_KIND_28_DAYS, Local(2026, 11, 1), kChina);
  EXPECT_EQ(d.start, Local(2026, 10, 4));
  EXPECT_EQ(d.pop_start, Local(2026, 9, 6));
}

TEST(PeriodWindows, TheLeapDayMapsToTheTwentyEighthOfFebruary) {
  const PeriodWindows w = WindowsFor(v1::PERIOD_KIND_28_DAYS, Local(2028, 2, 29, 12), kChina);
  EXPECT_EQ(w.yoy_end, Local(2027, 2, 28, 12));
  const PeriodWindows ytd = WindowsFor(v1::PERIOD_KIND_YEAR_TO_DATE, Local(2026, 11, 1), kChina);
  EXPECT_EQ(ytd.start, Local(2026, 1, 1));
  EXPECT_EQ(ytd.pop_start, Local(2025, 1, 1));
}

class Grouped : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(map_, GridMap::Parse(testing::TinyGridMapText(), "tiny.textproto"));
  }
  std::shared_ptr<const GridMap> map_;
};

TEST_F(Grouped, AZeroBaselineIsReportedAsSuchNeverAsAnInfinitePercentage) {
  MetricsOptions options;
  options.period_start = Local(2026, 10, 1);
  options.period_end = Local(2026, 11, 1);
  options.group_by = {v1::DIMENSION_STREET};
  options.comparisons = {v1::PERIOD_KIND_MONTH};
  ASSERT_OK_AND_ASSIGN(auto metrics, CaseMetrics::Create(*map_, options));
  CaseRecord r;
  r.kind = v1::INCIDENT_KIND_FRAUD;
  r.flags = kRecordPolice;
  // s1: 3 this October, 2 in September, none last October; s2: 1 this October, 1 last October.
  for (auto [grid, when] :
       {std::pair("g11", Local(2026, 10, 3)), std::pair("g12", Local(2026, 10, 9)),
        std::pair("g11", Local(2026, 10, 30)), std::pair("g11", Local(2026, 9, 2)),
        std::pair("g12", Local(2026, 9, 20)), std::pair("g21", Local(2026, 10, 5)),
        std::pair("g22", Local(2025, 10, 5))}) {
    r.area = map_->AreaIndex(grid);
    r.reported_at = absl::ToUnixSeconds(when);
    metrics->Add(r);
  }
  const v1::MetricsReport report = metrics->Report();
  ASSERT_EQ(report.groups_size(), 2);
  const v1::MetricsGroup& s1 = report.groups(0);
  EXPECT_EQ(s1.key().at("street"), "s1");
  ASSERT_EQ(s1.comparisons_size(), 2);
  EXPECT_EQ(s1.comparisons(0).kind(), "yoy");
  EXPECT_EQ(s1.comparisons(0).current(), 3);
  EXPECT_EQ(s1.comparisons(0).baseline(), 0);
  EXPECT_FALSE(s1.comparisons(0).has_percent_change());
  EXPECT_EQ(s1.comparisons(1).kind(), "pop");
  EXPECT_EQ(s1.comparisons(1).baseline(), 2);
  EXPECT_DOUBLE_EQ(s1.comparisons(1).percent_change(), 50.0);
  const v1::MetricsGroup& s2 = report.groups(1);
  EXPECT_EQ(s2.key().at("street"), "s2");
  EXPECT_DOUBLE_EQ(s2.comparisons(0).percent_change(), 0.0);   // 1 vs 1
  EXPECT_EQ(RateOf(s1, "non_police_share").denominator(), 3);  // September is outside the report
  EXPECT_THAT(tools::FormatCompStat(report), HasSubstr("n/a(3/0)"));
}

TEST_F(Grouped, BadOptionsAreErrors) {
  MetricsOptions options;
  options.period_start = Local(2026, 10, 1);
  options.period_end = Local(2026, 11, 1);
  options.group_by = {v1::DIMENSION_GRID, v1::DIMENSION_STREET, v1::DIMENSION_TIER,
                      v1::DIMENSION_FORCE, v1::DIMENSION_CHANNEL};
  EXPECT_THAT(CaseMetrics::Create(*map_, options),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at most 4")));
  options.group_by = {};
  options.period_end = options.period_start;
  EXPECT_THAT(CaseMetrics::Create(*map_, options),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("before period_end")));
}

// Every dimension and period of metrics.proto is accepted by the one parse function under its
// short name and its labels, and names the report's keys and comparisons by that short name.
TEST_F(Grouped, EveryDimensionAndPeriodParsesFromItsNameAndNamesTheReport) {
  CaseRecord r;
  r.area = map_->AreaIndex("g11");
  r.kind = v1::INCIDENT_KIND_FRAUD;
  r.reported_at = absl::ToUnixSeconds(Local(2026, 10, 3));
  // The report over that one record in October, with `set` applied to the options.
  auto report_of = [&](auto set) -> absl::StatusOr<v1::MetricsReport> {
    MetricsOptions options;
    options.period_start = Local(2026, 10, 1);
    options.period_end = Local(2026, 11, 1);
    set(options);
    FENGQIAO_ASSIGN_OR_RETURN(std::unique_ptr<CaseMetrics> metrics,
                              CaseMetrics::Create(*map_, options));
    metrics->Add(r);
    return metrics->Report();
  };
  // Every specified value of E parses back from its short name, English and Chinese labels.
  auto parses_back = [](auto value) {
    using E = decltype(value);
    const EnumLabel& label = LabelOf(value);
    for (absl::string_view text : {label.short_name, label.en, label.zh, label.proto_name}) {
      absl::StatusOr<E> parsed = ParseEnum<E>(text);
      EXPECT_TRUE(parsed.ok() && *parsed == value) << text;
    }
    return std::string(label.short_name);
  };
  for (int n : EnumNumbers(v1::Dimension_descriptor())) {
    if (n == v1::DIMENSION_UNSPECIFIED) continue;
    const auto d = static_cast<v1::Dimension>(n);
    const std::string name = parses_back(d);
    ASSERT_OK_AND_ASSIGN(v1::MetricsReport report,
                         report_of([&](MetricsOptions& o) { o.group_by = {d}; }));
    ASSERT_EQ(report.groups_size(), 1);
    EXPECT_THAT(report.group_by(), ::testing::ElementsAre(name));
    EXPECT_TRUE(report.groups(0).key().contains(name));
  }
  for (int n : EnumNumbers(v1::PeriodKind_descriptor())) {
    if (n == v1::PERIOD_KIND_UNSPECIFIED) continue;
    const auto k = static_cast<v1::PeriodKind>(n);
    const std::string name = parses_back(k);
    ASSERT_OK_AND_ASSIGN(v1::MetricsReport report,
                         report_of([&](MetricsOptions& o) { o.comparisons = {k}; }));
    ASSERT_EQ(report.groups_size(), 1);
    ASSERT_EQ(report.groups(0).comparisons_size(), 2);
    EXPECT_EQ(report.groups(0).comparisons(0).period(), name);
  }
  EXPECT_EQ(LabelOf(v1::PERIOD_KIND_28_DAYS).short_name, "28_days");
  EXPECT_THAT(ParseEnum<v1::Dimension>("province"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("street")));
  MetricsOptions unspecified;
  unspecified.group_by = {v1::DIMENSION_UNSPECIFIED};
  EXPECT_THAT(CaseMetrics::Create(*map_, unspecified),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a dimension")));
}

// `n` random records over the tiny map's grids, reported in September and October 2026, every
// step missing now and then.
std::vector<CaseRecord> RandomRecords(const GridMap& map, std::mt19937_64& rng, size_t n) {
  const char* grids[] = {"g11", "g12", "g21", "g22"};
  std::vector<CaseRecord> records(n);
  for (CaseRecord& r : records) {
    r.area = map.AreaIndex(grids[rng() % 4]);
    r.kind = 1 + rng() % 8;
    r.dispute_type = r.kind == v1::INCIDENT_KIND_DISPUTE ? 1 + rng() % 3 : 0;
    r.reported_at =
        absl::ToUnixSeconds(Local(2026, 9, 1)) + static_cast<int64_t>(rng() % (61 * 86400));
    r.flags = static_cast<uint32_t>(rng() & 0x7ff) & ~kRecordCancelled;
    r.accept_s = static_cast<int32_t>(rng() % 200) - 20;
    r.contact_s = static_cast<int32_t>(rng() % 600) - 50;
    r.arrival_s = static_cast<int32_t>(rng() % 1200) - 100;
    r.resolve_s = static_cast<int32_t>(rng() % 400000) - 1000;
    r.assign_s = static_cast<int32_t>(rng() % 120) - 5;
    for (int32_t* s : {&r.accept_s, &r.contact_s, &r.arrival_s, &r.resolve_s, &r.assign_s}) {
      if (*s < 0) *s = -1;
    }
  }
  return records;
}

// Grid x category, a month and a 28-day comparison, a baseline month: every part of a group.
MetricsOptions EveryPartOptions() {
  MetricsOptions options;
  options.period_start = Local(2026, 10, 1);
  options.period_end = Local(2026, 11, 1);
  options.group_by = {v1::DIMENSION_GRID, v1::DIMENSION_CATEGORY};
  options.comparisons = {v1::PERIOD_KIND_MONTH, v1::PERIOD_KIND_28_DAYS};
  options.baseline = std::make_pair(Local(2026, 9, 1), Local(2026, 10, 1));
  return options;
}

// Property: partial results over any split of the records merge into the result over all.
TEST_F(Grouped, MergedPartialsEqualTheWhole) {
  const MetricsOptions options = EveryPartOptions();
  std::mt19937_64 rng(77);
  for (int trial = 0; trial < 5; ++trial) {
    const std::vector<CaseRecord> records = RandomRecords(*map_, rng, 4000 + trial * 500);
    ASSERT_OK_AND_ASSIGN(auto whole, CaseMetrics::Create(*map_, options));
    whole->AddAll(records);
    std::vector<std::unique_ptr<CaseMetrics>> parts;
    for (int p = 0; p < 3; ++p) {
      ASSERT_OK_AND_ASSIGN(auto part, CaseMetrics::Create(*map_, options));
      parts.push_back(std::move(part));
    }
    for (const CaseRecord& r : records) parts[rng() % 3]->Add(r);
    ASSERT_OK(parts[0]->Merge(*parts[1]));
    ASSERT_OK(parts[0]->Merge(*parts[2]));
    EXPECT_TRUE(SameReport(parts[0]->Report(), whole->Report())) << "trial " << trial;
  }
  MetricsOptions other = options;
  other.group_by = {v1::DIMENSION_STREET};
  ASSERT_OK_AND_ASSIGN(auto a, CaseMetrics::Create(*map_, options));
  ASSERT_OK_AND_ASSIGN(auto b, CaseMetrics::Create(*map_, other));
  EXPECT_THAT(a->Merge(*b), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("different")));
  EXPECT_THAT(a->MergeSerialized(b->SerializePartial()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("different")));
  std::string truncated = a->SerializePartial();
  truncated.pop_back();
  EXPECT_THAT(a->MergeSerialized(truncated),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("malformed")));
  EXPECT_THAT(a->MergeSerialized("garbage"),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("malformed")));
}

// Property: on several threads (slices counted apart, merged in order) AddAll and AddColumns
// leave exactly what one thread leaves, and Report (percentiles on the threads) reports it: the
// same report and the same partial, byte for byte,
// with sketches exact and folded past their limit, onto metrics that already hold records.
TEST_F(Grouped, SeveralThreadsGiveWhatOneThreadGives) {
  std::mt19937_64 rng(2026);
  for (int64_t exact_limit : {int64_t{100'000}, int64_t{3'000}}) {
    MetricsOptions options = EveryPartOptions();
    options.exact_percentile_limit = exact_limit;
    const std::vector<CaseRecord> first = RandomRecords(*map_, rng, 5000);
    const std::vector<CaseRecord> records =
        RandomRecords(*map_, rng, 400'000 + static_cast<size_t>(rng() % 1000));
    std::vector<int64_t> at;
    std::vector<int32_t> area, assign, accept, contact, arrival, resolve;
    std::vector<uint8_t> kind, dispute;
    std::vector<uint32_t> flags;
    for (const CaseRecord& r : records) {
      at.push_back(r.reported_at);
      area.push_back(r.area);
      kind.push_back(r.kind);
      dispute.push_back(r.dispute_type);
      flags.push_back(r.flags);
      assign.push_back(r.assign_s);
      accept.push_back(r.accept_s);
      contact.push_back(r.contact_s);
      arrival.push_back(r.arrival_s);
      resolve.push_back(r.resolve_s);
    }
    CaseRecordColumns columns;
    columns.reported_at = at;
    columns.area = area;
    columns.kind = kind;
    columns.dispute_type = dispute;
    columns.flags = flags;
    columns.assign_s = assign;
    columns.accept_s = accept;
    columns.contact_s = contact;
    columns.arrival_s = arrival;
    columns.resolve_s = resolve;
    ASSERT_OK_AND_ASSIGN(auto one, CaseMetrics::Create(*map_, options));
    one->AddAll(first);
    one->AddAll(records);
    const v1::MetricsReport expected = one->Report();
    const std::string expected_partial = one->SerializePartial();
    // Report computes the groups' percentiles in slices of 16 groups on the threads: more than
    // one slice here.
    ASSERT_GT(one->group_count(), 32u);
    for (int threads : {2, 3, 4, 7}) {
      options.threads = threads;
      ASSERT_OK_AND_ASSIGN(auto from_records, CaseMetrics::Create(*map_, options));
      from_records->AddAll(first);
      from_records->AddAll(records);
      EXPECT_TRUE(SameReport(from_records->Report(), expected))
          << threads << " threads, exact limit " << exact_limit;
      EXPECT_EQ(from_records->SerializePartial(), expected_partial) << threads << " threads";
      ASSERT_OK_AND_ASSIGN(auto from_columns, CaseMetrics::Create(*map_, options));
      from_columns->AddAll(first);
      ASSERT_OK(from_columns->AddColumns(columns));
      EXPECT_TRUE(SameReport(from_columns->Report(), expected))
          << threads << " threads, columns, exact limit " << exact_limit;
      // Partials computed on different thread counts merge (threads is no part of the options
      // Merge compares).
      ASSERT_OK(from_columns->Merge(*one));
      ASSERT_OK(from_columns->MergeSerialized(expected_partial));
    }
  }
}

TEST_F(Grouped, TwoThreadsReportOneMetricsAtOnce) {
  MetricsOptions options;
  options.period_start = Local(2026, 10, 1);
  options.period_end = Local(2026, 11, 1);
  options.group_by = {v1::DIMENSION_GRID};
  ASSERT_OK_AND_ASSIGN(auto metrics, CaseMetrics::Create(*map_, options));
  std::mt19937_64 rng(11);
  for (int i = 0; i < 3000; ++i) {
    CaseRecord r;
    r.area = map_->AreaIndex(i % 2 ? "g11" : "g21");
    r.kind = v1::INCIDENT_KIND_FRAUD;
    r.flags = kRecordPolice | kRecordOnSiteRequired;
    r.reported_at = absl::ToUnixSeconds(Local(2026, 10, 3)) + i;
    r.accept_s = static_cast<int32_t>(rng() % 100), r.arrival_s = static_cast<int32_t>(rng() % 900);
    r.resolve_s = static_cast<int32_t>(rng() % (i < 600 ? 100000 : 5000));
    metrics->Add(r);
  }
  v1::MetricsReport reports[2];
  std::thread a([&] { reports[0] = metrics->Report(); });
  std::thread b([&] { reports[1] = metrics->Report(); });
  a.join();
  b.join();
  const v1::MetricsReport alone = metrics->Report();
  EXPECT_TRUE(SameReport(reports[0], alone));
  EXPECT_TRUE(SameReport(reports[1], alone));
}

// The store -> records pipeline: the cases a query selects, in report order, with 民转刑 marked
// from the parties' earlier disputes among them.
TEST_F(Grouped, CaseRecordsAreReadFromAStoreInReportOrder) {
  MemoryCaseStore store;
  auto make = [&](const char* id, const char* grid, v1::IncidentKind kind, absl::Time at) {
    v1::Case c;
    c.set_id(id);
    v1::Incident* incident = c.mutable_incident();
    incident->set_id(id);
    incident->set_grid_code(grid);
    incident->set_kind(kind);
    *incident->mutable_reported_at() = internal::ToTimestamp(at);
    incident->add_parties()->set_person_id("p-1");
    incident->add_parties()->set_person_id("p-2");
    return c;
  };
  // Ids ascending are not report order: c1 is the latest.
  const v1::Case c1 = make("c1", "g11", v1::INCIDENT_KIND_CRIMINAL, Local(2026, 10, 20));
  const v1::Case c2 = make("c2", "g11", v1::INCIDENT_KIND_DISPUTE, Local(2026, 10, 2));
  const v1::Case c3 = make("c3", "g21", v1::INCIDENT_KIND_FRAUD, Local(2026, 10, 9));
  ASSERT_OK(store.Save({&c1, &c2, &c3}, Local(2026, 11, 1)));
  ASSERT_OK_AND_ASSIGN(CaseRecordTable all, ReadCaseRecords(store, *map_));
  EXPECT_THAT(all.case_ids, ::testing::ElementsAre("c2", "c3", "c1"));
  ASSERT_EQ(all.records.size(), 3u);
  EXPECT_EQ(all.records[0].reported_at, absl::ToUnixSeconds(Local(2026, 10, 2)));
  EXPECT_EQ(all.records[1].area, map_->AreaIndex("g21"));
  // The criminal case's two parties had a dispute 18 days before: 民转刑, listed for review.
  EXPECT_TRUE(all.records[2].flags & kRecordCivilToCriminal);
  EXPECT_FALSE(all.records[0].flags & kRecordCivilToCriminal);
  ASSERT_EQ(all.civil_to_criminal.size(), 1u);
  EXPECT_EQ(all.civil_to_criminal[0].criminal_case_id, "c1");
  EXPECT_EQ(all.civil_to_criminal[0].dispute_case_id, "c2");
  EXPECT_EQ(all.civil_to_criminal[0].shared_parties, 2);
  EXPECT_EQ(all.civil_to_criminal[0].seconds_after, 18 * 86400);
  CaseQuery in_g21;
  in_g21.grid_code = "g21";
  ASSERT_OK_AND_ASSIGN(CaseRecordTable some, ReadCaseRecords(store, *map_, in_g21));
  EXPECT_THAT(some.case_ids, ::testing::ElementsAre("c3"));
}

// A rate is named after the threshold it measures: a 15 s accept threshold is not "within 1 min".
TEST_F(Grouped, RateNamesFollowTheConfiguredThresholds) {
  MetricsOptions options;
  options.period_start = Local(2026, 10, 1);
  options.period_end = Local(2026, 11, 1);
  options.accept_seconds = 15;
  options.arrival_seconds = 10 * 60;
  options.contact_seconds = 90;
  ASSERT_OK_AND_ASSIGN(auto metrics, CaseMetrics::Create(*map_, options));
  CaseRecord r;
  r.area = map_->AreaIndex("g11");
  r.kind = v1::INCIDENT_KIND_FRAUD;
  r.flags = kRecordPolice | kRecordOnSiteRequired;
  r.reported_at = absl::ToUnixSeconds(Local(2026, 10, 3));
  r.accept_s = 20, r.contact_s = 80, r.arrival_s = 540;
  metrics->Add(r);
  const v1::MetricsReport report = metrics->Report();
  ASSERT_EQ(report.groups_size(), 1);
  std::vector<std::string> names;
  for (const v1::Rate& rate : report.groups(0).rates()) names.push_back(rate.name());
  EXPECT_THAT(names, ::testing::IsSupersetOf({"arrival_within_10min", "accept_within_15s",
                                              "contact_within_90s", "on_site_within_10min"}));
  EXPECT_THAT(names, ::testing::Not(::testing::Contains("accept_within_1min")));
  EXPECT_THAT(names, ::testing::Not(::testing::Contains("arrival_within_8min")));
  // 20 s is late against 15 s; 540 s is on time against 10 minutes.
  EXPECT_EQ(RateOf(report.groups(0), "accept_within_15s").numerator(), 0);
  EXPECT_EQ(RateOf(report.groups(0), "arrival_within_10min").numerator(), 1);
  const std::string sheet = tools::FormatCompStat(report);
  EXPECT_THAT(sheet, HasSubstr("10min"));
  EXPECT_THAT(sheet, HasSubstr("acc15s"));
  EXPECT_EQ(ThresholdRateName("arrival", 8 * 60), "arrival_within_8min");
}

// A partial travels between processes: a flipped bit anywhere in it must be DataLoss (or, where it
// lands in a field that does not change the report, give the same report), never another report.
TEST_F(Grouped, EverySingleBitFlipOfAPartialIsDataLossOrTheSameReport) {
  MetricsOptions options;
  options.period_start = Local(2026, 10, 1);
  options.period_end = Local(2026, 11, 1);
  options.group_by = {v1::DIMENSION_STREET, v1::DIMENSION_CATEGORY};
  options.comparisons = {v1::PERIOD_KIND_MONTH};
  options.baseline = std::make_pair(Local(2026, 9, 1), Local(2026, 10, 1));
  ASSERT_OK_AND_ASSIGN(auto source, CaseMetrics::Create(*map_, options));
  int i = 0;
  for (const char* grid : {"g11", "g21", "g12", "g22", "g11"}) {
    CaseRecord r;
    r.area = map_->AreaIndex(grid);
    r.kind = i % 2 == 0 ? v1::INCIDENT_KIND_DISPUTE : v1::INCIDENT_KIND_NON_POLICE;
    r.dispute_type = i % 2 == 0 ? v1::DISPUTE_TYPE_NOISE : 0;
    r.department = i % 2 == 0 ? 0 : v1::DEPARTMENT_CITY_MANAGEMENT;
    r.flags = kRecordOnSiteRequired | kRecordDisposed | (i % 2 == 0 ? kRecordPolice : 0u);
    r.reported_at = absl::ToUnixSeconds(Local(2026, i == 4 ? 9 : 10, 3 + i));
    r.assign_s = 20 + i, r.accept_s = 40 + i, r.contact_s = 100 + i, r.arrival_s = 400 + 50 * i;
    r.resolve_s = 3600 * (i + 1);
    source->Add(r);
    ++i;
  }
  const std::string bytes = source->SerializePartial();
  ASSERT_OK_AND_ASSIGN(auto whole, CaseMetrics::Create(*map_, options));
  ASSERT_OK(whole->MergeSerialized(bytes));
  const v1::MetricsReport original = whole->Report();
  ASSERT_TRUE(SameReport(original, source->Report()));
  int different_report = 0, other_error = 0;
  for (size_t bit = 0; bit < bytes.size() * 8; ++bit) {
    std::string flipped = bytes;
    flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
    ASSERT_OK_AND_ASSIGN(auto target, CaseMetrics::Create(*map_, options));
    const absl::Status merged = target->MergeSerialized(flipped);
    if (merged.ok()) {
      different_report += SameReport(target->Report(), original) ? 0 : 1;
    } else if (merged.code() != absl::StatusCode::kDataLoss) {
      ++other_error;
    }
  }
  EXPECT_EQ(different_report, 0) << "of " << bytes.size() * 8 << " single-bit flips";
  EXPECT_EQ(other_error, 0) << "of " << bytes.size() * 8 << " single-bit flips";
}

}  // namespace
}  // namespace fengqiao
