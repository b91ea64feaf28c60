// Percentiles an analyst can check a standard against, and rates over the population the seeds
// mean: exact up to the configured sample count, within the configured error past it, NaN when
// empty; negative intervals excluded and counted; 8-minute arrival over incidents that need
// someone on site; the diversion share over 110 calls.
#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "fengqiao/closure/case_loop.h"
#include "fengqiao/metrics/case_metrics.h"
#include "fengqiao/metrics/case_record.h"
#include "fengqiao/metrics/duration_sketch.h"
#include "gtest/gtest.h"
#include "testing/sample_district.h"
#include "testing/status_matchers.h"
#include "tools/compstat_format.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::StatusIs;

// R type 7 on a sorted copy: the definition, written out.
double Type7(std::vector<int64_t> v, double q) {
  std::sort(v.begin(), v.end());
  const double h = (static_cast<double>(v.size()) - 1) * q;
  const double lo = static_cast<double>(v[static_cast<size_t>(std::floor(h))]);
  const double hi = static_cast<double>(v[static_cast<size_t>(std::ceil(h))]);
  return lo + (hi - lo) * (h - std::floor(h));
}

std::vector<int64_t> LogNormalSeconds(int n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> dist(6.5, 1.2);  // response times: seconds to hours
  std::vector<int64_t> v(n);
  for (auto& x : v) x = static_cast<int64_t>(dist(rng));
  return v;
}

TEST(DurationSketch, PercentilesAreExactUpToOneHundredThousandSamplesByDefault) {
  const std::vector<int64_t> samples = LogNormalSeconds(100'000, 11);
  DurationSketch sketch;
  for (int64_t v : samples) sketch.Add(v);
  ASSERT_TRUE(sketch.exact());
  for (double q : {0.5, 0.9, 0.95, 0.99, 0.999}) {
    EXPECT_DOUBLE_EQ(sketch.Quantile(q), Type7(samples, q)) << "q=" << q;
  }
}

TEST(DurationSketch, PastTheExactLimitPercentilesStayWithinOneThousandth) {
  const std::vector<int64_t> samples = LogNormalSeconds(250'000, 12);
  DurationSketch sketch;
  for (int64_t v : samples) sketch.Add(v);
  ASSERT_FALSE(sketch.exact());
  EXPECT_LE(sketch.relative_error(), 0.001);
  for (double q : {0.5, 0.9, 0.95, 0.99}) {
    const double truth = Type7(samples, q);
    EXPECT_NEAR(sketch.Quantile(q), truth, truth * 0.001 + 1e-9) << "q=" << q;
  }
}

TEST(DurationSketch, ManyQuantilesAtOnceEqualEachAsked) {
  // Random sizes (ties included), random sets of q in random order, exact and folded sketches.
  std::mt19937_64 rng(21);
  for (int round = 0; round < 200; ++round) {
    const int n = 1 + static_cast<int>(rng() % 3000);
    DurationSketch sketch({.exact_limit = round % 2 == 0 ? 100'000 : 500});
    for (int i = 0; i < n; ++i) sketch.Add(static_cast<int64_t>(rng() % 5000));
    std::vector<double> qs(1 + rng() % 6);
    for (double& q : qs) q = static_cast<double>(rng() % 1001) / 1000;
    const std::vector<double> all = sketch.Quantiles(qs);
    ASSERT_EQ(all.size(), qs.size());
    for (size_t i = 0; i < qs.size(); ++i) {
      EXPECT_DOUBLE_EQ(all[i], sketch.Quantile(qs[i])) << "round " << round << " q=" << qs[i];
    }
  }
}

TEST(DurationSketch, TheExactLimitAndTheErrorBoundAreOptions) {
  const std::vector<int64_t> samples = LogNormalSeconds(5'000, 13);
  DurationSketch coarse({.exact_limit = 1'000, .relative_error = 0.01});
  DurationSketch fine({.exact_limit = 10'000, .relative_error = 0.01});
  for (int64_t v : samples) coarse.Add(v), fine.Add(v);
  EXPECT_FALSE(coarse.exact());
  EXPECT_TRUE(fine.exact());
  EXPECT_LE(coarse.relative_error(), 0.01);
  EXPECT_GT(coarse.relative_error(), 0.001);  // no finer than asked: memory follows the bound
  const double truth = Type7(samples, 0.9);
  EXPECT_NEAR(coarse.Quantile(0.9), truth, truth * 0.01);
  EXPECT_DOUBLE_EQ(fine.Quantile(0.9), truth);
}

TEST(DurationSketch, NegativeDurationsAreCountedAndLeftOutNeverClampedToZero) {
  DurationSketch s;
  for (int64_t v : {-30, 100, 300, -1}) s.Add(v);
  EXPECT_EQ(s.count(), 2);
  EXPECT_EQ(s.negative(), 2);
  EXPECT_DOUBLE_EQ(s.Quantile(0.0), 100);  // not 0
  EXPECT_DOUBLE_EQ(s.mean(), 200);
  v1::DurationSketchState state;
  s.ToProto(&state);
  DurationSketch back;
  ASSERT_TRUE(back.FromProto(state));
  EXPECT_TRUE(back == s);
  DurationSketch other_options({.exact_limit = 10});
  EXPECT_FALSE(other_options.FromProto(state)) << "a state of other options is refused";
}

TEST(DurationSketch, AnEmptySketchHasNoPercentileNorMean) {
  DurationSketch s;
  s.Add(-5);
  EXPECT_EQ(s.count(), 0);
  EXPECT_TRUE(std::isnan(s.Quantile(0.9)));
  EXPECT_TRUE(std::isnan(s.mean()));
  EXPECT_TRUE(std::isnan(DurationSketch().Quantile(std::nan(""))));
}

class Populations : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(map_, GridMap::Parse(testing::TinyGridMapText(), "tiny.textproto"));
    options_.period_start = absl::FromCivil(absl::CivilDay(2026, 10, 1), ChinaTimeZone());
    options_.period_end = absl::FromCivil(absl::CivilDay(2026, 11, 1), ChinaTimeZone());
  }
  CaseRecord Record(v1::Channel channel, v1::IncidentKind kind, uint32_t flags) const {
    CaseRecord r;
    r.reported_at = absl::ToUnixSeconds(options_.period_start) + 3600;
    r.area = map_->AreaIndex("g11");
    r.kind = kind;
    r.channel = channel;
    r.flags = flags | (kind == v1::INCIDENT_KIND_NON_POLICE ? 0u : kRecordPolice) |
              kRecordDisposed | kRecordClosed;
    return r;
  }
  v1::MetricsGroup ReportOf(const std::vector<CaseRecord>& records) {
    auto metrics = CaseMetrics::Create(*map_, options_);
    EXPECT_TRUE(metrics.ok());
    (*metrics)->AddAll(records);
    const v1::MetricsReport report = (*metrics)->Report();
    EXPECT_EQ(report.groups_size(), 1);
    return report.groups(0);
  }
  static const v1::Rate& RateOf(const v1::MetricsGroup& g, const std::string& name) {
    for (const v1::Rate& r : g.rates()) {
      if (r.name() == name) return r;
    }
    static const v1::Rate none;
    ADD_FAILURE() << "no rate " << name;
    return none;
  }
  static const v1::Distribution& DistOf(const v1::MetricsGroup& g, const std::string& name) {
    for (const v1::Distribution& d : g.distributions()) {
      if (d.name() == name) return d;
    }
    static const v1::Distribution none;
    ADD_FAILURE() << "no distribution " << name;
    return none;
  }
  std::shared_ptr<const GridMap> map_;
  MetricsOptions options_;
};

TEST_F(Populations, EightMinuteArrivalCountsOnlyIncidentsThatNeedSomeoneOnSite) {
  // A 110 fight (on site in 5 min), a police dispatch late (12 min), a 12345 hotline item and a
  // grid-found matter that need nobody on site (they would not count, even very late).
  CaseRecord fight =
      Record(v1::CHANNEL_CALL_110, v1::INCIDENT_KIND_PUBLIC_ORDER, kRecordOnSiteRequired);
  fight.arrival_s = 300;
  CaseRecord late = Record(v1::CHANNEL_CALL_110, v1::INCIDENT_KIND_TRAFFIC, kRecordOnSiteRequired);
  late.arrival_s = 720;
  CaseRecord hotline = Record(v1::CHANNEL_HOTLINE_12345, v1::INCIDENT_KIND_NON_POLICE, 0);
  hotline.arrival_s = 86400;
  CaseRecord patrol = Record(v1::CHANNEL_GRID_PATROL, v1::INCIDENT_KIND_DISPUTE, 0);
  const v1::MetricsGroup g = ReportOf({fight, late, hotline, patrol});
  const v1::Rate& r = RateOf(g, "arrival_within_8min");
  EXPECT_EQ(r.numerator(), 1);
  EXPECT_EQ(r.denominator(), 2);
  EXPECT_EQ(r.excluded().at("no on-site response needed"), 2);
}

TEST_F(Populations, TheDiversionShareIsOverOneOneZeroCallsNotEveryChannel) {
  // Seed 003: 33.5% of 110 calls (警情) were non-police matters diverted. Three 110 calls, one
  // non-police; two 12345 items, both non-police, stay out of this share.
  std::vector<CaseRecord> records = {
      Record(v1::CHANNEL_CALL_110, v1::INCIDENT_KIND_NON_POLICE, 0),
      Record(v1::CHANNEL_CALL_110, v1::INCIDENT_KIND_PUBLIC_ORDER, 0),
      Record(v1::CHANNEL_CALL_110, v1::INCIDENT_KIND_DISPUTE, 0),
      Record(v1::CHANNEL_HOTLINE_12345, v1::INCIDENT_KIND_NON_POLICE, 0),
      Record(v1::CHANNEL_HOTLINE_12345, v1::INCIDENT_KIND_NON_POLICE, 0)};
  const v1::MetricsGroup g = ReportOf(records);
  const v1::Rate& of_110 = RateOf(g, "non_police_share_of_110");
  EXPECT_EQ(of_110.numerator(), 1);
  EXPECT_EQ(of_110.denominator(), 3);
  EXPECT_EQ(of_110.excluded().at("not a 110 call"), 2);
  const v1::Rate& all = RateOf(g, "non_police_share");
  EXPECT_EQ(all.numerator(), 3);
  EXPECT_EQ(all.denominator(), 5);
}

TEST_F(Populations, LinkageIsCountedPerDirectionOverTheCallsEachPlatformReceivedFromTheLog) {
  // From the cases' logs: two 110 calls, one handed to 12345 in one click; three 12345 items,
  // one pushed to 110 as an emergency, one after a three-way call that could not agree (12345,
  // the first receiver, keeps it); a grid worker's find that no hotline received.
  const absl::Time t0 = options_.period_start + absl::Hours(2);
  CaseRecordBuilder builder(*map_);
  std::vector<CaseRecord> records;
  auto add = [&](const std::string& id, v1::Channel channel, const std::vector<v1::CaseEvent>& es) {
    v1::Incident incident;
    incident.set_id(id);
    incident.set_channel(channel);
    incident.set_grid_code("g11");
    incident.set_kind(v1::INCIDENT_KIND_NON_POLICE);
    incident.mutable_reported_at()->set_seconds(absl::ToUnixSeconds(t0));
    v1::Decision d;
    d.set_rule_id("r");
    d.mutable_action()->set_tier(v1::TIER_DEPARTMENT_DIVERSION);
    ASSERT_OK_AND_ASSIGN(CaseLoop loop, CaseLoop::Open(incident, d, t0, "desk"));
    for (const v1::CaseEvent& e : es) ASSERT_OK(loop.Record(e));
    records.push_back(builder.Add(loop.proto()));
  };
  auto transfer = [&](v1::Platform to, v1::LinkageMode how) {
    v1::CaseEvent e = MakeEvent(v1::CASE_EVENT_TYPE_TRANSFER_PLATFORM, t0 + absl::Minutes(2), "d");
    e.set_platform(to);
    e.set_linkage(how);
    return e;
  };
  v1::CaseEvent call = MakeEvent(v1::CASE_EVENT_TYPE_THREE_WAY_CALL, t0 + absl::Minutes(1), "d");
  add("a", v1::CHANNEL_CALL_110, {transfer(v1::PLATFORM_12345, v1::LINKAGE_MODE_ONE_CLICK)});
  add("b", v1::CHANNEL_CALL_110, {});
  add("c", v1::CHANNEL_HOTLINE_12345,
      {transfer(v1::PLATFORM_110, v1::LINKAGE_MODE_EMERGENCY_PUSH)});
  add("d", v1::CHANNEL_HOTLINE_12345, {call});
  add("e", v1::CHANNEL_HOTLINE_12345, {});
  add("f", v1::CHANNEL_GRID_PATROL, {});
  const v1::MetricsGroup g = ReportOf(records);
  const v1::Rate& to_12345 = RateOf(g, "transferred_110_to_12345");
  EXPECT_EQ(to_12345.numerator(), 1);
  EXPECT_EQ(to_12345.denominator(), 2);
  EXPECT_EQ(to_12345.excluded().at("not a 110 call"), 4);
  const v1::Rate& to_110 = RateOf(g, "transferred_12345_to_110");
  EXPECT_EQ(to_110.numerator(), 1);
  EXPECT_EQ(to_110.denominator(), 3);
  EXPECT_EQ(RateOf(g, "emergency_pushed_12345_to_110").numerator(), 1);
  const v1::Rate& kept = RateOf(g, "three_way_call_kept_by_first_receiver");
  EXPECT_EQ(kept.numerator(), 1);
  EXPECT_EQ(kept.denominator(), 1);
}

TEST_F(Populations, SatisfactionLeavesOutBadRatingsSetAsideAndTheOtherTwoRatesCountTheAsked) {
  // A case's log as the builder reads it: resolved, revisited unsatisfied (contacted, not
  // solved), the bad rating set aside on review.
  const absl::Time t0 = options_.period_start + absl::Hours(2);
  v1::Incident incident;
  incident.set_id("r");
  incident.set_grid_code("g11");
  incident.set_channel(v1::CHANNEL_HOTLINE_12345);
  incident.set_kind(v1::INCIDENT_KIND_NON_POLICE);
  incident.mutable_reported_at()->set_seconds(absl::ToUnixSeconds(t0));
  v1::Decision d;
  d.set_rule_id("r");
  d.mutable_action()->set_tier(v1::TIER_DEPARTMENT_DIVERSION);
  ASSERT_OK_AND_ASSIGN(CaseLoop loop, CaseLoop::Open(incident, d, t0, "12345"));
  v1::CaseEvent assign = MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, t0 + absl::Minutes(5), "12345");
  assign.set_department(v1::DEPARTMENT_CITY_MANAGEMENT);
  ASSERT_OK(loop.Record(assign));
  ASSERT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_ACCEPT, t0 + absl::Hours(1), "城管")));
  ASSERT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_CONTACT, t0 + absl::Hours(2), "城管")));
  ASSERT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_RESOLVE, t0 + absl::Hours(5), "城管")));
  v1::CaseEvent revisit = MakeEvent(v1::CASE_EVENT_TYPE_REVISIT, t0 + absl::Hours(30), "回访员");
  revisit.mutable_rating()->set_contacted(true);
  revisit.mutable_rating()->set_solved(false);
  revisit.mutable_rating()->set_satisfaction(v1::SATISFACTION_DISSATISFIED);
  ASSERT_OK(loop.Record(revisit));
  v1::CaseEvent review = MakeEvent(v1::CASE_EVENT_TYPE_REVIEW_RATING, t0 + absl::Hours(40), "cr");
  review.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
  review.set_reason("诉求不合理");
  review.set_rating_set_aside(true);
  ASSERT_OK(loop.Record(review));
  CaseRecordBuilder builder(*map_);
  const CaseRecord set_aside = builder.Add(loop.proto());
  EXPECT_EQ(set_aside.flags & (kRecordRatingSetAside | kRecordAskedContacted | kRecordContacted |
                               kRecordAskedSolved | kRecordSolved),
            kRecordRatingSetAside | kRecordAskedContacted | kRecordContacted | kRecordAskedSolved);
  // Beside it: satisfied and solved; unsatisfied, not contacted, solved not asked; not revisited.
  const std::vector<CaseRecord> records = {
      set_aside,
      Record(v1::CHANNEL_HOTLINE_12345, v1::INCIDENT_KIND_NON_POLICE,
             kRecordRevisited | kRecordSatisfied | kRecordAskedContacted | kRecordContacted |
                 kRecordAskedSolved | kRecordSolved),
      Record(v1::CHANNEL_HOTLINE_12345, v1::INCIDENT_KIND_NON_POLICE,
             kRecordRevisited | kRecordAskedContacted),
      Record(v1::CHANNEL_HOTLINE_12345, v1::INCIDENT_KIND_NON_POLICE, 0)};
  const v1::MetricsGroup g = ReportOf(records);
  const v1::Rate& satisfaction = RateOf(g, "satisfaction_rate");
  EXPECT_EQ(satisfaction.numerator(), 1);
  EXPECT_EQ(satisfaction.denominator(), 2);
  EXPECT_EQ(satisfaction.excluded().at("bad rating set aside on review"), 1);
  EXPECT_EQ(satisfaction.excluded().at("not revisited"), 1);
  const v1::Rate& contacted = RateOf(g, "contacted_rate");
  EXPECT_EQ(contacted.numerator(), 2);
  EXPECT_EQ(contacted.denominator(), 3);
  const v1::Rate& solved = RateOf(g, "solved_rate");
  EXPECT_EQ(solved.numerator(), 1);
  EXPECT_EQ(solved.denominator(), 2);
  EXPECT_EQ(solved.excluded().at("not asked"), 1);
}

TEST_F(Populations, NegativeIntervalsAreExcludedAndCountedNeverOnTime) {
  // Accepted "before" the report (a clock error): out of the rate and the distribution, counted.
  CaseRecord bad =
      Record(v1::CHANNEL_CALL_110, v1::INCIDENT_KIND_PUBLIC_ORDER, kRecordOnSiteRequired);
  bad.accept_s = -120;
  bad.arrival_s = -5;
  CaseRecord good =
      Record(v1::CHANNEL_CALL_110, v1::INCIDENT_KIND_PUBLIC_ORDER, kRecordOnSiteRequired);
  good.accept_s = 90;
  good.arrival_s = 400;
  const v1::MetricsGroup g = ReportOf({bad, good});
  const v1::Rate& accept = RateOf(g, "accept_within_1min");
  EXPECT_EQ(accept.numerator(), 0);
  EXPECT_EQ(accept.denominator(), 1);
  EXPECT_EQ(accept.excluded().at("negative interval"), 1);
  const v1::Rate& arrival = RateOf(g, "arrival_within_8min");
  EXPECT_EQ(arrival.numerator(), 1);
  EXPECT_EQ(arrival.denominator(), 1);
  EXPECT_EQ(arrival.excluded().at("negative interval"), 1);
  const v1::Distribution& d = DistOf(g, "accept_seconds");
  EXPECT_EQ(d.count(), 1);
  EXPECT_DOUBLE_EQ(d.p50(), 90);
  EXPECT_EQ(d.excluded().at("negative interval"), 1);
}

TEST_F(Populations, AStepRecordedBeforeTheReportIsANegativeIntervalInTheRecord) {
  v1::Case c;
  c.mutable_incident()->set_kind(v1::INCIDENT_KIND_PUBLIC_ORDER);
  c.mutable_incident()->set_grid_code("g11");
  c.mutable_incident()->mutable_reported_at()->set_seconds(1'791'000'000);
  v1::CaseEvent* report = c.add_events();
  report->set_type(v1::CASE_EVENT_TYPE_REPORT);
  report->mutable_at()->set_seconds(1'791'000'000);
  v1::CaseEvent* accept = c.add_events();
  accept->set_type(v1::CASE_EVENT_TYPE_ACCEPT);
  accept->mutable_at()->set_seconds(1'791'000'000 - 1);  // one second early: not "not happened"
  CaseRecordBuilder builder(*map_);
  const CaseRecord r = builder.Add(c);
  EXPECT_LT(r.accept_s, kStepNotHappened);
}

// 民转刑 as the seeds mean it (issue 11, point 9): between the same parties, within the window,
// by person id.
v1::Case CaseOf(const std::string& id, v1::IncidentKind kind, int64_t at,
                std::vector<std::string> people) {
  v1::Case c;
  c.set_id(id);
  c.mutable_incident()->set_id(id);
  c.mutable_incident()->set_kind(kind);
  c.mutable_incident()->set_grid_code("g11");
  c.mutable_incident()->mutable_reported_at()->set_seconds(at);
  for (const std::string& p : people) {
    v1::Party* party = c.mutable_incident()->add_parties();
    party->set_person_id(p);
    party->set_name("王五");  // the same name for everyone: names never link cases
  }
  return c;
}

TEST_F(Populations, CivilToCriminalIsACrimeBetweenTheSamePartiesWithinTheWindow) {
  constexpr int64_t kDay = 86400, t0 = 1'790'000'000;
  CaseRecordBuilder builder(*map_, absl::Hours(24 * 90));
  builder.Add(CaseOf("d1", v1::INCIDENT_KIND_DISPUTE, t0, {"a", "b"}));
  builder.Add(CaseOf("d2", v1::INCIDENT_KIND_DISPUTE, t0 + kDay, {"c", "d"}));
  // Between a and b, 30 days on: grows out of d1.
  const CaseRecord same =
      builder.Add(CaseOf("k1", v1::INCIDENT_KIND_CRIMINAL, t0 + 30 * kDay, {"b", "a"}));
  // a with a stranger: one shared party is not "the same parties".
  const CaseRecord one =
      builder.Add(CaseOf("k2", v1::INCIDENT_KIND_CRIMINAL, t0 + 31 * kDay, {"a", "x"}));
  // c and d, but 120 days after their dispute: outside the window.
  const CaseRecord late =
      builder.Add(CaseOf("k3", v1::INCIDENT_KIND_CRIMINAL, t0 + 121 * kDay, {"c", "d"}));
  // One known party only: cannot be shown to be between the same parties.
  const CaseRecord alone =
      builder.Add(CaseOf("k4", v1::INCIDENT_KIND_CRIMINAL, t0 + 2 * kDay, {"a"}));
  EXPECT_TRUE(same.flags & kRecordCivilToCriminal);
  EXPECT_FALSE(one.flags & kRecordCivilToCriminal);
  EXPECT_FALSE(late.flags & kRecordCivilToCriminal);
  EXPECT_FALSE(alone.flags & kRecordCivilToCriminal);
  ASSERT_EQ(builder.civil_to_criminal().size(), 1u);
  EXPECT_EQ(builder.civil_to_criminal()[0].criminal_case_id, "k1");
  EXPECT_EQ(builder.civil_to_criminal()[0].dispute_case_id, "d1");
}

TEST_F(Populations, AnEmptyDistributionHasNoPercentilesAndTheSheetSaysNotApplicable) {
  // Nothing resolved yet: no resolve percentile (absent; "n/a" on the sheet), not 0 hours.
  CaseRecord open = Record(v1::CHANNEL_CALL_110, v1::INCIDENT_KIND_DISPUTE, 0);
  open.flags &= ~(kRecordDisposed | kRecordClosed);
  auto metrics = CaseMetrics::Create(*map_, options_);
  ASSERT_TRUE(metrics.ok());
  (*metrics)->Add(open);
  const v1::MetricsReport report = (*metrics)->Report();
  const v1::Distribution& d = DistOf(report.groups(0), "resolve_seconds");
  EXPECT_EQ(d.count(), 0);
  EXPECT_FALSE(d.has_p50());
  EXPECT_FALSE(d.has_p90());
  EXPECT_FALSE(d.has_p95());
  EXPECT_FALSE(d.has_mean());
  const std::string sheet = tools::FormatCompStat(report);
  EXPECT_NE(sheet.find("n/a"), std::string::npos) << sheet;
}

TEST_F(Populations, PercentilesSayWhetherTheyAreExactAndHowCloseOtherwise) {
  std::vector<CaseRecord> records;
  for (int64_t v : LogNormalSeconds(2'000, 14)) {
    CaseRecord r = Record(v1::CHANNEL_CALL_110, v1::INCIDENT_KIND_PUBLIC_ORDER, 0);
    r.resolve_s = static_cast<int32_t>(v);
    records.push_back(r);
  }
  const v1::MetricsGroup exact = ReportOf(records);
  EXPECT_FALSE(DistOf(exact, "resolve_seconds").approximate());
  options_.exact_percentile_limit = 500;
  options_.percentile_relative_error = 0.005;
  const v1::MetricsGroup folded = ReportOf(records);
  const v1::Distribution& d = DistOf(folded, "resolve_seconds");
  EXPECT_TRUE(d.approximate());
  EXPECT_LE(d.relative_error(), 0.005);
  EXPECT_GT(d.relative_error(), 0);
}

TEST_F(Populations, PartialsOfOtherPercentileOptionsDoNotMerge) {
  ASSERT_OK_AND_ASSIGN(auto exact, CaseMetrics::Create(*map_, options_));
  options_.exact_percentile_limit = 10;
  ASSERT_OK_AND_ASSIGN(auto coarse, CaseMetrics::Create(*map_, options_));
  coarse->Add(Record(v1::CHANNEL_CALL_110, v1::INCIDENT_KIND_PUBLIC_ORDER, 0));
  EXPECT_THAT(exact->Merge(*coarse), StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
  EXPECT_THAT(exact->MergeSerialized(coarse->SerializePartial()),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
}

TEST_F(Populations, TheSheetPrintsItsDatesInTheReportsZone) {
  // A report kept in UTC+10: its October starts at 22:00 on 30 September in China's zone, so a
  // sheet that printed China's dates would say "2026-09-30 to 2026-10-31".
  options_.time_zone = absl::FixedTimeZone(10 * 3600);
  options_.period_start = absl::FromCivil(absl::CivilDay(2026, 10, 1), options_.time_zone);
  options_.period_end = absl::FromCivil(absl::CivilDay(2026, 11, 1), options_.time_zone);
  ASSERT_OK_AND_ASSIGN(auto metrics, CaseMetrics::Create(*map_, options_));
  const std::string sheet = tools::FormatCompStat(metrics->Report());
  EXPECT_NE(sheet.find("2026-10-01 to 2026-11-01"), std::string::npos) << sheet;
}

}  // namespace
}  // namespace fengqiao
