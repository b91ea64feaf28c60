// Department scorecards (issue 18 point 6): the work-order facts of a case record, the
// indicators, thresholds, scores, ranks and lists, one pass against merged partials, and the
// policy file's refusals.
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/metrics/case_metrics.h"
#include "fengqiao/metrics/case_record.h"
#include "fengqiao/metrics/department_scorecard.h"
#include "fengqiao/metrics/scorecard_policy.h"
#include "fengqiao/time_zone.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::StatusIs;
using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr v1::Department kCityManagement = v1::DEPARTMENT_CITY_MANAGEMENT;
constexpr v1::Department kHousing = v1::DEPARTMENT_HOUSING_CONSTRUCTION;
constexpr v1::Department kMarket = v1::DEPARTMENT_MARKET_REGULATION;

absl::Time Local(int m, int d, int h, int min = 0) {
  return absl::FromCivil(absl::CivilMinute(2026, m, d, h, min), ChinaTimeZone());
}

const GridMap& SampleMap() {
  static const auto* map = new std::shared_ptr<const GridMap>(
      *GridMap::Load(FENGQIAO_SOURCE_DIR "/examples/data/grid_map.textproto"));
  return **map;
}

// A matter diverted to 住建 with a 2-hour sign-off clock and 5 working days to resolve.
CaseLoop Diverted(absl::Time at) {
  v1::Incident incident;
  incident.set_id("w1");
  v1::Decision d;
  d.set_rule_id("divert-housing");
  d.mutable_action()->set_tier(v1::TIER_DEPARTMENT_DIVERSION);
  d.mutable_action()->mutable_sla()->mutable_accept()->set_seconds(2 * 3600);  // 签收
  d.mutable_action()->mutable_sla()->set_resolve_working_days(5);
  absl::StatusOr<CaseLoop> loop = CaseLoop::Open(incident, d, at, "12345", {});
  EXPECT_OK(loop);
  v1::CaseEvent assign = MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, at, "centre");
  assign.set_department(kHousing);
  EXPECT_OK(loop->Record(assign));
  return *std::move(loop);
}

v1::CaseEvent ByCentre(v1::CaseEventType type, absl::Time at) {
  v1::CaseEvent e = MakeEvent(type, at, "centre");
  e.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
  return e;
}

TEST(ScorecardRecords, AnOrderCarriesItsClocksSupervisionAndExtensions) {
  CaseLoop loop = Diverted(Local(11, 2, 10));  // Monday; due Monday 11-09 10:00
  const std::string holder = loop.proto().assignee();
  ASSERT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_ACCEPT, Local(11, 2, 10, 10), holder)));
  v1::CaseEvent ask = MakeEvent(v1::CASE_EVENT_TYPE_REQUEST_EXTENSION, Local(11, 4, 9), holder);
  ask.set_reason("需协调产权单位");
  ask.set_extension_working_days(2);
  ASSERT_OK(loop.Record(ask));
  v1::CaseEvent grant = ByCentre(v1::CASE_EVENT_TYPE_APPROVE_EXTENSION, Local(11, 4, 10));
  grant.set_party_notified(true);
  ASSERT_OK(loop.Record(grant));  // due Wednesday 11-11 10:00
  v1::CaseEvent urge = ByCentre(v1::CASE_EVENT_TYPE_SUPERVISE, Local(11, 10, 9));
  urge.set_supervision_step(v1::SUPERVISION_STEP_REMINDER);
  ASSERT_OK(loop.Record(urge));
  ASSERT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_CONTACT, Local(11, 10, 10), holder)));
  ASSERT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_RESOLVE, Local(11, 10, 15), holder)));
  v1::CaseEvent revisit = MakeEvent(v1::CASE_EVENT_TYPE_REVISIT, Local(11, 11, 9), "回访员");
  revisit.set_satisfied(true);
  ASSERT_OK(loop.Record(revisit));

  CaseRecordBuilder builder(SampleMap());
  const CaseRecord r = builder.Add(loop.proto());
  EXPECT_EQ(r.order_department, kHousing);
  EXPECT_EQ(r.returned_by, 0u);
  EXPECT_EQ(r.signoff_due_s, 2 * 3600);
  EXPECT_EQ(r.signoff_s, 600);
  EXPECT_EQ(r.complete_due_s, 9 * 86400);  // 5 working days and 2 granted
  EXPECT_EQ(r.complete_s, 8 * 86400 + 5 * 3600);
  EXPECT_EQ(r.supervision_steps, 1);
  EXPECT_EQ(r.extensions, 1);
  EXPECT_TRUE(r.flags & kRecordDisposed);
  EXPECT_TRUE(r.flags & kRecordSatisfied);
}

TEST(ScorecardRecords, AReturnCountsForTheDepartmentThatReturnedIt) {
  CaseLoop loop = Diverted(Local(11, 2, 10));
  v1::CaseEvent ret = MakeEvent(v1::CASE_EVENT_TYPE_RETURN, Local(11, 2, 11), "住建");
  ret.set_reason("不属于本部门职责");
  ret.set_refused_by(kHousing);
  ret.set_should_go_to(kCityManagement);
  ASSERT_OK(loop.Record(ret));
  v1::CaseEvent approve = ByCentre(v1::CASE_EVENT_TYPE_APPROVE_RETURN, Local(11, 2, 12));
  approve.mutable_sla()->set_resolve_working_days(5);
  ASSERT_OK(loop.Record(approve));
  CaseRecordBuilder builder(SampleMap());
  const CaseRecord r = builder.Add(loop.proto());
  EXPECT_EQ(r.order_department, kCityManagement);
  EXPECT_EQ(r.returned_by, 1u << kHousing);
  // 城管's own order has no sign-off clock (the review armed only the resolve clock), and the
  // resolve clock from the review: 5 working days from Monday noon, 2 hours after the report.
  EXPECT_EQ(r.signoff_due_s, kStepNotHappened);
  EXPECT_EQ(r.complete_due_s, 7 * 86400 + 2 * 3600);
  EXPECT_EQ(r.complete_s, kStepNotHappened);
}

TEST(ScorecardRecords, ARedoIsNotANewOrder) {
  CaseLoopOptions options;
  options.redo_on_dissatisfaction = true;
  v1::Incident incident;
  incident.set_id("w2");
  v1::Decision d;
  d.set_rule_id("divert-housing");
  d.mutable_action()->set_tier(v1::TIER_DEPARTMENT_DIVERSION);
  d.mutable_action()->mutable_sla()->mutable_accept()->set_seconds(3600);
  d.mutable_action()->mutable_sla()->set_resolve_working_days(5);
  ASSERT_OK_AND_ASSIGN(CaseLoop loop,
                       CaseLoop::Open(incident, d, Local(11, 2, 10), "12345", options));
  v1::CaseEvent assign = MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, Local(11, 2, 10), "centre");
  assign.set_department(kHousing);
  ASSERT_OK(loop.Record(assign));
  const std::string holder = loop.proto().assignee();
  ASSERT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_ACCEPT, Local(11, 2, 12), holder)));
  ASSERT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_CONTACT, Local(11, 2, 13), holder)));
  ASSERT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_RESOLVE, Local(11, 3, 10), holder)));
  v1::CaseEvent revisit = MakeEvent(v1::CASE_EVENT_TYPE_REVISIT, Local(11, 4, 9), "回访员");
  revisit.set_satisfied(false);
  ASSERT_OK(loop.Record(revisit));  // sent back for redo at once: REOPEN and a new ASSIGN
  ASSERT_EQ(loop.state().state, v1::CASE_STATE_ASSIGNED);
  CaseRecordBuilder builder(SampleMap());
  const CaseRecord r = builder.Add(loop.proto());
  // The first order's clocks: signed an hour late (12:00 against 11:00), completed in time.
  EXPECT_EQ(r.signoff_due_s, 3600);
  EXPECT_EQ(r.signoff_s, 2 * 3600);
  EXPECT_EQ(r.complete_s, 86400);
  EXPECT_TRUE(r.flags & kRecordReopened);
  EXPECT_FALSE(r.flags & kRecordSatisfied);
}

// An order record of `department` reported on 2026-`month`-5.
CaseRecord Order(v1::Department department, int month = 10) {
  CaseRecord r;
  r.reported_at = absl::ToUnixSeconds(Local(month, 5, 10));
  r.order_department = department;
  r.signoff_due_s = 7200;
  r.signoff_s = 600;
  r.complete_due_s = 5 * 86400;
  r.complete_s = 3600;
  r.flags = kRecordDisposed | kRecordRevisited | kRecordSatisfied;
  return r;
}

ScorecardOptions October() {
  ScorecardOptions options;
  options.as_of = Local(11, 1, 0);
  return options;
}

const v1::DepartmentScore* Find(const v1::ScorecardReport& report, v1::Department d) {
  for (const v1::DepartmentScore& s : report.departments()) {
    if (s.department() == d) return &s;
  }
  return nullptr;
}

const v1::IndicatorScore& Indicator(const v1::DepartmentScore& s, v1::ScorecardIndicator i) {
  for (const v1::IndicatorScore& x : s.indicators()) {
    if (x.indicator() == i) return x;
  }
  static const v1::IndicatorScore none;
  ADD_FAILURE() << "no indicator " << i;
  return none;
}

// 城管: ten orders, 9 signed in time, 8 completed in time (2 open past their clock), one of the
// completed redone, 6 of 8 satisfied, 2 supervised, 1 extended, 2 of them returned by 住建 first.
// 市场监管: five perfect orders. September: one perfect order of 城管.
std::vector<CaseRecord> AMonth() {
  std::vector<CaseRecord> records;
  for (int i = 0; i < 10; ++i) {
    CaseRecord r = Order(kCityManagement);
    if (i == 0) r.signoff_s = 9000;
    if (i >= 8) {
      r.complete_s = kStepNotHappened;
      r.flags = 0;
    }
    if (i == 1) r.flags |= kRecordReopened;
    if (i == 2 || i == 3) r.flags &= ~kRecordSatisfied;
    if (i == 4 || i == 5) r.supervision_steps = 1 + i;
    if (i == 6) r.extensions = 2;
    if (i == 6 || i == 7) r.returned_by = 1u << kHousing;
    records.push_back(r);
  }
  for (int i = 0; i < 5; ++i) records.push_back(Order(kMarket));
  records.push_back(Order(kCityManagement, 9));
  records.push_back(Order(kCityManagement, 8));  // outside both periods
  return records;
}

TEST(DepartmentScorecards, IndicatorsScoresRanksAndListsAsDefined) {
  ASSERT_OK_AND_ASSIGN(auto cards, DepartmentScorecards::Create(October()));
  cards->AddAll(AMonth());
  const v1::ScorecardReport report = cards->Report();
  EXPECT_EQ(report.period(), "month");
  ASSERT_EQ(report.departments_size(), 3);
  const v1::DepartmentScore* cm = Find(report, kCityManagement);
  ASSERT_NE(cm, nullptr);
  EXPECT_EQ(cm->orders(), 10);
  EXPECT_EQ(cm->handled(), 10);
  const v1::IndicatorScore& signoff = Indicator(*cm, v1::SCORECARD_INDICATOR_ON_TIME_SIGNOFF);
  EXPECT_EQ(signoff.rate().name(), "on_time_signoff");
  EXPECT_EQ(signoff.rate().numerator(), 9);
  EXPECT_EQ(signoff.rate().denominator(), 10);
  EXPECT_DOUBLE_EQ(signoff.points(), 15 * 0.9);  // at the threshold: scores
  EXPECT_FALSE(signoff.below_threshold());
  const v1::IndicatorScore& done = Indicator(*cm, v1::SCORECARD_INDICATOR_ON_TIME_COMPLETION);
  EXPECT_EQ(done.rate().numerator(), 8);
  EXPECT_EQ(done.rate().denominator(), 10);  // the two open orders past their clock are late
  EXPECT_DOUBLE_EQ(done.points(), 25 * 0.8);
  const v1::IndicatorScore& redo = Indicator(*cm, v1::SCORECARD_INDICATOR_REDO_RATE);
  EXPECT_EQ(redo.rate().numerator(), 1);
  EXPECT_EQ(redo.rate().denominator(), 8);
  EXPECT_DOUBLE_EQ(redo.good_share(), 0.875);
  EXPECT_DOUBLE_EQ(Indicator(*cm, v1::SCORECARD_INDICATOR_SATISFACTION).rate().value(), 0.75);
  EXPECT_EQ(Indicator(*cm, v1::SCORECARD_INDICATOR_SUPERVISED).rate().numerator(), 2);
  EXPECT_EQ(cm->supervision_steps(), 5 + 6);
  EXPECT_EQ(Indicator(*cm, v1::SCORECARD_INDICATOR_EXTENDED).rate().numerator(), 1);
  EXPECT_EQ(cm->extensions_granted(), 2);
  EXPECT_EQ(Indicator(*cm, v1::SCORECARD_INDICATOR_RETURN_RATE).rate().numerator(), 0);
  // 13.5 + 20 + 10 + 8.75 + 22.5 + 4 + 4.5 points of 100.
  EXPECT_DOUBLE_EQ(cm->score(), 83.25);
  EXPECT_DOUBLE_EQ(cm->previous_score(), 100);
  EXPECT_EQ(cm->rank(), 2);
  // 住建 returned two orders it never handled: its return rate is 100%, below the threshold;
  // the indicators without orders are left out of its score; two orders are too few to rank.
  const v1::DepartmentScore* housing = Find(report, kHousing);
  ASSERT_NE(housing, nullptr);
  EXPECT_EQ(housing->orders(), 2);
  EXPECT_EQ(housing->handled(), 0);
  const v1::IndicatorScore& returns = Indicator(*housing, v1::SCORECARD_INDICATOR_RETURN_RATE);
  EXPECT_DOUBLE_EQ(returns.rate().value(), 1.0);
  EXPECT_TRUE(returns.below_threshold());
  EXPECT_FALSE(Indicator(*housing, v1::SCORECARD_INDICATOR_SATISFACTION).has_points());
  EXPECT_DOUBLE_EQ(housing->score(), 0);
  EXPECT_EQ(housing->rank(), 0);
  const v1::DepartmentScore* market = Find(report, kMarket);
  ASSERT_NE(market, nullptr);
  EXPECT_DOUBLE_EQ(market->score(), 100);
  EXPECT_EQ(market->rank(), 1);
  EXPECT_FALSE(market->has_previous_score());
  // Ranked first, then the unranked; 红榜 from 90, 黑榜 below 80 (城管 is on neither).
  EXPECT_EQ(report.departments(0).department(), kMarket);
  EXPECT_EQ(report.departments(1).department(), kCityManagement);
  EXPECT_EQ(report.departments(2).department(), kHousing);
  EXPECT_THAT(report.red_list(), ElementsAre(kMarket));
  EXPECT_THAT(report.black_list(), IsEmpty());

  // The policy decides: a stricter black list takes 城管; a sign-off threshold of 95% zeroes it.
  ScorecardOptions strict = October();
  strict.policy.set_black_list_below_score(85);
  v1::ScorecardWeight* w = strict.policy.add_indicators();
  w->set_indicator(v1::SCORECARD_INDICATOR_ON_TIME_SIGNOFF);
  w->set_weight(40);
  w->set_threshold(0.95);
  w = strict.policy.add_indicators();
  w->set_indicator(v1::SCORECARD_INDICATOR_SATISFACTION);
  w->set_weight(60);
  w->set_threshold(0.5);
  ASSERT_OK_AND_ASSIGN(auto strict_cards, DepartmentScorecards::Create(strict));
  strict_cards->AddAll(AMonth());
  const v1::ScorecardReport r2 = strict_cards->Report();
  const v1::DepartmentScore* cm2 = Find(r2, kCityManagement);
  ASSERT_NE(cm2, nullptr);
  ASSERT_EQ(cm2->indicators_size(), 2);
  EXPECT_TRUE(cm2->indicators(0).below_threshold());
  EXPECT_DOUBLE_EQ(cm2->indicators(0).points(), 0);
  EXPECT_DOUBLE_EQ(cm2->score(), 60 * 0.75);
  EXPECT_THAT(r2.black_list(), ElementsAre(kCityManagement));
}

TEST(DepartmentScorecards, ABadRatingSetAsideOnReviewDoesNotCountAgainstTheDepartment) {
  ASSERT_OK_AND_ASSIGN(auto cards, DepartmentScorecards::Create(October()));
  std::vector<CaseRecord> month = AMonth();
  // 城管's two unsatisfied revisits: the command room set one aside as unreasonable.
  int set_aside = 0;
  for (CaseRecord& r : month) {
    if (r.order_department == kCityManagement && (r.flags & kRecordRevisited) &&
        !(r.flags & kRecordSatisfied) && set_aside == 0) {
      r.flags |= kRecordRatingSetAside;
      ++set_aside;
    }
  }
  ASSERT_EQ(set_aside, 1);
  cards->AddAll(month);
  const v1::ScorecardReport report = cards->Report();
  const v1::DepartmentScore* cm = Find(report, kCityManagement);
  ASSERT_NE(cm, nullptr);
  const v1::Rate& satisfaction = Indicator(*cm, v1::SCORECARD_INDICATOR_SATISFACTION).rate();
  EXPECT_EQ(satisfaction.numerator(), 6);
  EXPECT_EQ(satisfaction.denominator(), 7);
}

TEST(DepartmentScorecards, EqualScoresShareARank) {
  ASSERT_OK_AND_ASSIGN(auto cards, DepartmentScorecards::Create(October()));
  for (v1::Department d : {kMarket, kCityManagement, kHousing}) {
    for (int i = 0; i < 5; ++i) cards->Add(Order(d));
  }
  const v1::ScorecardReport report = cards->Report();
  ASSERT_EQ(report.departments_size(), 3);
  for (const v1::DepartmentScore& s : report.departments()) EXPECT_EQ(s.rank(), 1);
  // Listed by department number; the red list holds three.
  EXPECT_EQ(report.departments(0).department(), kCityManagement);
  EXPECT_EQ(report.red_list_size(), 3);
}

TEST(DepartmentScorecards, OrdersWithoutAJudgeableClockAreLeftOutByReason) {
  ASSERT_OK_AND_ASSIGN(auto cards, DepartmentScorecards::Create(October()));
  CaseRecord no_clock = Order(kCityManagement);
  no_clock.signoff_due_s = kStepNotHappened;
  CaseRecord not_yet = Order(kCityManagement);
  not_yet.reported_at = absl::ToUnixSeconds(Local(10, 31, 20));  // due after as_of, not met
  not_yet.signoff_due_s = 86400;
  not_yet.signoff_s = kStepNotHappened;
  CaseRecord cancelled = Order(kCityManagement);
  cancelled.flags |= kRecordCancelled;
  CaseRecord negative = Order(kCityManagement);
  negative.signoff_s = -50;  // signed before the report: a data error
  CaseRecord late_open = Order(kCityManagement);
  late_open.signoff_s = kStepNotHappened;  // open past its clock: late
  cards->AddAll({no_clock, not_yet, cancelled, negative, late_open});
  const v1::ScorecardReport report = cards->Report();
  const v1::Rate& rate =
      Indicator(report.departments(0), v1::SCORECARD_INDICATOR_ON_TIME_SIGNOFF).rate();
  EXPECT_EQ(rate.numerator(), 0);
  EXPECT_EQ(rate.denominator(), 1);
  EXPECT_EQ(rate.excluded().at("no clock"), 1);
  EXPECT_EQ(rate.excluded().at("not yet due"), 1);
  EXPECT_EQ(rate.excluded().at("cancelled"), 1);
  EXPECT_EQ(rate.excluded().at("negative interval"), 1);
}

TEST(DepartmentScorecards, UnknownDepartmentNumbersAndFullCountsAreHandled) {
  ASSERT_OK_AND_ASSIGN(auto cards, DepartmentScorecards::Create(October()));
  CaseRecord unknown = Order(kCityManagement);
  unknown.order_department = 200;     // not a department: not scored
  unknown.returned_by = 0xffffffffu;  // every bit: only the departments the enum defines count
  unknown.supervision_steps = 255;
  cards->Add(unknown);
  const v1::ScorecardReport report = cards->Report();
  EXPECT_EQ(report.departments_size(), v1::Department_ARRAYSIZE - 1);
  for (const v1::DepartmentScore& s : report.departments()) {
    EXPECT_EQ(s.orders(), 1);
    EXPECT_EQ(s.handled(), 0);
    EXPECT_TRUE(v1::Department_IsValid(s.department()));
  }
}

// Random records, including data errors and numbers no enum defines.
std::vector<CaseRecord> RandomRecords(std::mt19937_64& rng, int n) {
  std::vector<CaseRecord> records;
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const int64_t start = absl::ToUnixSeconds(Local(8, 20, 0));
  for (int i = 0; i < n; ++i) {
    CaseRecord r;
    r.reported_at = start + pick(0, 75 * 86400);
    r.order_department = static_cast<uint8_t>(pick(0, 9) == 0 ? pick(0, 255) : pick(0, 12));
    if (pick(0, 9) == 0) r.returned_by = 1u << pick(0, 31);
    r.signoff_due_s = pick(0, 5) == 0 ? pick(-3, 0) : pick(60, 86400);
    r.signoff_s = pick(0, 3) == 0 ? -1 : pick(-2, 90000);
    r.complete_due_s = pick(0, 5) == 0 ? -1 : pick(86400, 30 * 86400);
    r.complete_s = pick(0, 3) == 0 ? -1 : pick(0, 40 * 86400);
    r.flags = static_cast<uint32_t>(pick(0, 2047));
    r.supervision_steps = static_cast<uint8_t>(pick(0, 3) == 0 ? pick(1, 255) : 0);
    r.extensions = static_cast<uint8_t>(pick(0, 5) == 0 ? pick(1, 3) : 0);
    records.push_back(r);
  }
  return records;
}

TEST(DepartmentScorecards, OnePassEqualsMergedPartsAndMergedBytes) {
  std::mt19937_64 rng(18);
  for (int round = 0; round < 20; ++round) {
    const std::vector<CaseRecord> records = RandomRecords(rng, 2000);
    ASSERT_OK_AND_ASSIGN(auto one, DepartmentScorecards::Create(October()));
    one->AddAll(records);
    const int parts = 1 + static_cast<int>(rng() % 7);
    std::vector<std::unique_ptr<DepartmentScorecards>> pieces;
    for (int p = 0; p < parts; ++p) {
      ASSERT_OK_AND_ASSIGN(auto piece, DepartmentScorecards::Create(October()));
      pieces.push_back(std::move(piece));
    }
    for (const CaseRecord& r : records) pieces[rng() % parts]->Add(r);
    ASSERT_OK_AND_ASSIGN(auto merged, DepartmentScorecards::Create(October()));
    ASSERT_OK_AND_ASSIGN(auto from_bytes, DepartmentScorecards::Create(October()));
    for (const auto& piece : pieces) {
      ASSERT_OK(merged->Merge(*piece));
      ASSERT_OK(from_bytes->MergeSerialized(piece->SerializePartial()));
    }
    const v1::ScorecardReport expected = one->Report();
    EXPECT_TRUE(MessageDifferencer::Equals(expected, merged->Report())) << round;
    EXPECT_TRUE(MessageDifferencer::Equals(expected, from_bytes->Report())) << round;
  }
}

TEST(DepartmentScorecards, RefusesPartialsThatAreDamagedOrOfAnotherPeriod) {
  ASSERT_OK_AND_ASSIGN(auto cards, DepartmentScorecards::Create(October()));
  cards->AddAll(AMonth());
  const std::string bytes = cards->SerializePartial();
  ASSERT_OK_AND_ASSIGN(auto fresh, DepartmentScorecards::Create(October()));
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string flipped = bytes;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x10);
    EXPECT_THAT(fresh->MergeSerialized(flipped),
                StatusIs(absl::StatusCode::kDataLoss, ::testing::_))
        << i;
  }
  EXPECT_THAT(fresh->MergeSerialized(bytes.substr(0, bytes.size() / 2)),
              StatusIs(absl::StatusCode::kDataLoss, ::testing::_));
  EXPECT_THAT(fresh->MergeSerialized(""), StatusIs(absl::StatusCode::kDataLoss, ::testing::_));
  EXPECT_EQ(fresh->Report().departments_size(), 0);  // nothing merged
  ScorecardOptions november = October();
  november.as_of = Local(12, 1, 0);
  ASSERT_OK_AND_ASSIGN(auto other, DepartmentScorecards::Create(november));
  EXPECT_THAT(other->MergeSerialized(bytes),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cannot merge")));
  EXPECT_THAT(other->Merge(*cards), StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
  // A metrics partial is not a scorecards partial.
  MetricsOptions metrics_options;
  ASSERT_OK_AND_ASSIGN(auto metrics, CaseMetrics::Create(SampleMap(), metrics_options));
  EXPECT_THAT(fresh->MergeSerialized(metrics->SerializePartial()),
              StatusIs(absl::StatusCode::kDataLoss, ::testing::_));
}

TEST(DepartmentScorecards, CreateRefusesAnInfiniteAsOfAndABadPolicy) {
  ScorecardOptions options;
  EXPECT_THAT(DepartmentScorecards::Create(options),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("as_of")));
  options = October();
  v1::ScorecardWeight* w = options.policy.add_indicators();
  w->set_indicator(v1::SCORECARD_INDICATOR_SATISFACTION);
  w->set_weight(std::nan(""));
  EXPECT_THAT(DepartmentScorecards::Create(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("<indicators[0].weight>: indicators[0].weight is not a finite")));
  w->set_weight(10);
  w->set_indicator(static_cast<v1::ScorecardIndicator>(99));
  EXPECT_THAT(DepartmentScorecards::Create(options),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
}

absl::Status Parsed(const std::string& text) {
  return ParseScorecardPolicy(text, "p.textproto").status();
}

TEST(ScorecardPolicy, RefusesEachBadValueNamingFileLineAndColumn) {
  const std::string satisfaction = "indicators { indicator: SCORECARD_INDICATOR_SATISFACTION ";
  EXPECT_THAT(Parsed(satisfaction + "weight: 2000 }"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("p.textproto:1:58: indicators[0].weight is 2000, outside")));
  EXPECT_THAT(Parsed(satisfaction + "weight: nan }"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a finite number")));
  EXPECT_THAT(Parsed(satisfaction + "weight: inf }"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a finite number")));
  EXPECT_THAT(Parsed(satisfaction + "weight: 10 threshold: 1.5 }"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("threshold is 1.5")));
  EXPECT_THAT(Parsed(satisfaction + "weight: \"ten\" }"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("p.textproto:1:")));
  EXPECT_THAT(Parsed("indicators { indicator: SCORECARD_INDICATOR_NOPE weight: 1 }"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("p.textproto:1:")));
  EXPECT_THAT(Parsed("indicators { indicator: 99 weight: 1 }"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("p.textproto:1:")));
  EXPECT_THAT(Parsed("indicators { weight: 1 }"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("is unspecified")));
  EXPECT_THAT(
      Parsed(satisfaction + "weight: 1 }\n" + satisfaction + "weight: 2 }"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("p.textproto:2:14: indicators[1].indicator repeats satisfaction")));
  EXPECT_THAT(Parsed(satisfaction + "weight: 0 }"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no weight")));
  EXPECT_THAT(Parsed("period: PERIOD_KIND_UNSPECIFIED"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("period is unspecified")));
  EXPECT_THAT(Parsed("min_orders: -1"), StatusIs(absl::StatusCode::kInvalidArgument,
                                                 HasSubstr("p.textproto:1:1: min_orders")));
  EXPECT_THAT(Parsed("red_list_size: 101"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("red_list_size is 101")));
  EXPECT_THAT(Parsed("black_list_below_score: -0.5"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("black_list_below_score")));
  EXPECT_THAT(Parsed("sources: \"\xff\xfe\""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("p.textproto:1:")));
  EXPECT_THAT(Parsed("weights: 1"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("p.textproto:1:")));
  // Huge: twenty thousand indicators are read and the first repeat is named.
  std::string huge;
  for (int i = 0; i < 20'000; ++i) huge += satisfaction + "weight: 1 }\n";
  EXPECT_THAT(Parsed(huge), StatusIs(absl::StatusCode::kInvalidArgument,
                                     HasSubstr("indicators[1].indicator repeats")));
  EXPECT_THAT(LoadScorecardPolicy("/no/such/scorecard.textproto"),
              StatusIs(absl::StatusCode::kNotFound, ::testing::_));
}

TEST(ScorecardPolicy, TheSampleDistrictScoresMonthlyOnTheLibrarysDefaults) {
  ASSERT_OK_AND_ASSIGN(
      v1::ScorecardPolicy policy,
      LoadScorecardPolicy(FENGQIAO_SOURCE_DIR "/examples/data/scorecard.textproto"));
  EXPECT_GE(policy.sources_size(), 4);
  const v1::ScorecardPolicy defaults = EffectiveScorecardPolicy({});
  policy.clear_sources();
  EXPECT_TRUE(MessageDifferencer::Equals(policy, defaults)) << policy.DebugString();
  EXPECT_EQ(defaults.indicators_size(), v1::ScorecardIndicator_ARRAYSIZE - 1);
}

}  // namespace
}  // namespace fengqiao
