// The briefings' content, on cases written for the test in the tiny district: the day against
// the weeks the store covers, repeat parties by id, disputes escalating between the same parties,
// what is overdue with its masked 责任人, and pages that hold no personal value and fetch nothing.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "fengqiao/briefing/briefing.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/force/roster.h"
#include "fengqiao/mediation/working_calendar.h"
#include "fengqiao/store/memory_case_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/cases.h"
#include "testing/sample_district.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const absl::TimeZone kTz = ChinaTimeZone();

absl::Time At(int m, int d, int h = 10) {
  return absl::FromCivil(absl::CivilHour(2026, m, d, h), kTz);
}

class Briefings : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(map_, GridMap::Parse(testing::TinyGridMapText(), "tiny.textproto"));
    ASSERT_OK_AND_ASSIGN(roster_,
                         Roster::Parse(testing::TinyRosterText(), "roster.textproto", map_));
  }
  // Opens a case of `kind` in g11 at `at` with parties (person id, name) and saves it.
  CaseLoop Open(const std::string& id, v1::IncidentKind kind, absl::Time at,
                std::vector<std::pair<std::string, std::string>> parties = {},
                v1::Severity severity = v1::SEVERITY_UNSPECIFIED,
                v1::Tier tier = v1::TIER_COMMUNITY_POLICE) {
    v1::Incident incident;
    incident.set_id(id);
    incident.set_grid_code("g11");
    incident.set_kind(kind);
    incident.set_channel(v1::CHANNEL_CALL_110);
    if (kind == v1::INCIDENT_KIND_DISPUTE) incident.set_dispute_type(v1::DISPUTE_TYPE_NEIGHBOUR);
    incident.set_severity(severity);
    *incident.mutable_reported_at() = internal_ToTimestamp(at);
    for (const auto& [person, name] : parties) {
      v1::Party* p = incident.add_parties();
      p->set_person_id(person);
      p->set_name(name);
      p->set_phone("13912345678");
    }
    absl::StatusOr<CaseLoop> loop = CaseLoop::Open(incident, testing::RoutedTo(tier), at, "110");
    EXPECT_TRUE(loop.ok()) << loop.status();
    return *std::move(loop);
  }
  static google::protobuf::Timestamp internal_ToTimestamp(absl::Time t) {
    google::protobuf::Timestamp ts;
    ts.set_seconds(absl::ToUnixSeconds(t));
    return ts;
  }
  void Save(const CaseLoop& loop, absl::Time now) {
    const v1::Case* c = &loop.proto();
    ASSERT_OK(store_.Save({&c, 1}, now));
  }
  // The State Council's holiday schedule the sample district ships.
  static absl::StatusOr<std::shared_ptr<const WorkingCalendar>> Holidays() {
    return WorkingCalendar::Load(FENGQIAO_SOURCE_DIR "/examples/data/calendar/holidays.textproto");
  }
  const BriefingSection& SectionOf(const Briefing& b, const std::string& title) {
    for (const BriefingSection& s : b.sections) {
      if (s.title == title) return s;
    }
    static const BriefingSection none;
    ADD_FAILURE() << "no section " << title;
    return none;
  }

  std::shared_ptr<const GridMap> map_;
  std::shared_ptr<const Roster> roster_;
  MemoryCaseStore store_;
};

TEST_F(Briefings, TheDayIsComparedWithTheSameWeekdayOfOnlyTheWeeksTheStoreCovers) {
  // Wednesday 14 October: three disputes; the Wednesdays before: two on the 7th, none on 30
  // September (the store's first case is on 30 September, so the 23rd and 16th have no data).
  Save(Open("first", v1::INCIDENT_KIND_TRAFFIC, At(9, 30, 1)), At(9, 30, 2));
  for (const char* id : {"a", "b", "c"})
    Save(Open(id, v1::INCIDENT_KIND_DISPUTE, At(10, 14)), At(10, 14, 12));
  for (const char* id : {"d", "e"})
    Save(Open(id, v1::INCIDENT_KIND_DISPUTE, At(10, 7)), At(10, 7, 12));
  ASSERT_OK_AND_ASSIGN(
      Briefing b, MakeBriefing(BriefingKind::kDaily, store_, *map_, absl::CivilDay(2026, 10, 14)));
  EXPECT_EQ(b.period, "2026-10-14（星期三）");
  const BriefingSection& s = SectionOf(b, "警情概况");
  ASSERT_EQ(s.figures.size(), 1u);
  EXPECT_EQ(s.figures[0].n, 3);
  ASSERT_EQ(s.tables.size(), 1u);
  EXPECT_THAT(s.tables[0].title, HasSubstr("前2周"));
  const std::vector<std::string> dispute = {"纠纷", "3", "1.00", "+200%"};
  EXPECT_THAT(s.tables[0].rows, ::testing::Contains(dispute));
}

TEST_F(Briefings, RepeatPartiesAreFoundByIdNotNameAndPrintedMasked) {
  // The same person (p-1) under two spellings of the name; a namesake (p-2) is someone else.
  Save(Open("r1", v1::INCIDENT_KIND_DISPUTE, At(10, 10), {{"p-1", "王小明"}}), At(10, 10));
  Save(Open("r2", v1::INCIDENT_KIND_DISPUTE, At(10, 13), {{"p-1", "王晓明"}}), At(10, 13));
  Save(Open("r3", v1::INCIDENT_KIND_DISPUTE, At(10, 14), {{"p-2", "王晓明"}}), At(10, 14));
  ASSERT_OK_AND_ASSIGN(
      Briefing b, MakeBriefing(BriefingKind::kDaily, store_, *map_, absl::CivilDay(2026, 10, 14)));
  const BriefingTable& t = SectionOf(b, "重复报警与重复当事人").tables.at(0);
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0][0], "王*明");
  EXPECT_EQ(t.rows[0][1], "2");
  EXPECT_EQ(t.rows[0][2], "r1、r2");
  for (const std::string& page : {RenderHtml(b), RenderMarkdown(b)}) {
    EXPECT_THAT(page, Not(HasSubstr("王小明")));
    EXPECT_THAT(page, Not(HasSubstr("王晓明")));
    EXPECT_THAT(page, Not(HasSubstr("13912345678")));
  }
}

TEST_F(Briefings, ADisputeGrowingMoreSevereBetweenTheSamePartiesIsAtRiskOfTurningCriminal) {
  Save(Open("x1", v1::INCIDENT_KIND_DISPUTE, At(10, 1), {{"p-9", "李四"}}, v1::SEVERITY_SIMPLE),
       At(10, 1));
  Save(Open("x2", v1::INCIDENT_KIND_DISPUTE, At(10, 12), {{"p-9", "李四"}}, v1::SEVERITY_MAJOR),
       At(10, 12));
  Save(Open("y1", v1::INCIDENT_KIND_DISPUTE, At(10, 2), {{"p-8", "赵五"}}, v1::SEVERITY_MAJOR),
       At(10, 2));
  Save(Open("y2", v1::INCIDENT_KIND_DISPUTE, At(10, 3), {{"p-8", "赵五"}}, v1::SEVERITY_SIMPLE),
       At(10, 3));
  ASSERT_OK_AND_ASSIGN(
      Briefing b, MakeBriefing(BriefingKind::kDaily, store_, *map_, absl::CivilDay(2026, 10, 14)));
  const BriefingTable& t = SectionOf(b, "民转刑风险").tables.at(0);
  ASSERT_EQ(t.rows.size(), 1u) << "only the rising one";
  EXPECT_EQ(t.rows[0][0], "李*");
  EXPECT_THAT(t.rows[0][1], HasSubstr("x1"));
  EXPECT_THAT(t.rows[0][2], HasSubstr("x2"));
}

TEST_F(Briefings, TheMonthListsItsCivilToCriminalCasesWithTheDisputeEachGrewOutOf) {
  Save(Open("d1", v1::INCIDENT_KIND_DISPUTE, At(9, 20), {{"p-1", "甲"}, {"p-2", "乙"}}), At(9, 20));
  Save(Open("k1", v1::INCIDENT_KIND_CRIMINAL, At(10, 5), {{"p-2", "乙"}, {"p-1", "甲"}}),
       At(10, 5));
  Save(Open("k2", v1::INCIDENT_KIND_CRIMINAL, At(10, 6), {{"p-1", "甲"}, {"p-7", "丙"}}),
       At(10, 6));
  ASSERT_OK_AND_ASSIGN(Briefing b, MakeBriefing(BriefingKind::kMonthly, store_, *map_,
                                                absl::CivilDay(2026, 10, 14)));
  const BriefingSection& s = SectionOf(b, "民转刑案件");
  EXPECT_EQ(s.figures.at(0).n, 1);
  const std::vector<std::string> row = {"k1", "d1", "2人", "15天"};
  EXPECT_THAT(s.tables.at(0).rows, ::testing::ElementsAre(row));
}

TEST_F(Briefings, OverdueCasesNameTheirMaskedResponsiblePersonAndHowLate) {
  CaseLoop late = Open("late", v1::INCIDENT_KIND_DISPUTE, At(10, 14, 8));
  v1::CaseEvent assign = MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, At(10, 14, 8), "desk");
  assign.set_assignee("cop1");
  ASSERT_OK(late.Record(assign));
  Save(late, At(10, 14, 9));
  BriefingOptions options;
  options.roster = roster_.get();
  ASSERT_OK_AND_ASSIGN(Briefing b, MakeBriefing(BriefingKind::kDaily, store_, *map_,
                                                absl::CivilDay(2026, 10, 14), options));
  const BriefingSection& s = SectionOf(b, "超期未办");
  ASSERT_EQ(s.figures.size(), 4u);
  EXPECT_EQ(s.figures.at(0).key, "warning_red");
  EXPECT_EQ(s.figures.at(0).n, 1);  // the overdue case is red
  EXPECT_EQ(s.figures.at(3).key, "overdue");
  EXPECT_EQ(s.figures.at(3).n, 1);
  const std::vector<std::string>& row = s.tables.at(0).rows.at(0);
  EXPECT_EQ(row[0], "late");
  EXPECT_THAT(row[3], HasSubstr("（cop1）"));
  EXPECT_THAT(row[3], Not(HasSubstr("cop1（")));  // the name itself is masked
  EXPECT_THAT(row[4], HasSubstr("小时"));
}

TEST_F(Briefings, APastDayShowsTheCasesAsTheyStoodThenNotAsTheyAreToday) {
  // Overdue at the end of 10-14, handled on 10-16, closed on 10-20: the store holds it closed.
  CaseLoop late = Open("late", v1::INCIDENT_KIND_DISPUTE, At(10, 14, 8));
  v1::CaseEvent assign = MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, At(10, 14, 8), "desk");
  assign.set_assignee("cop1");
  ASSERT_OK(late.Record(assign));
  ASSERT_OK(late.Record(MakeEvent(v1::CASE_EVENT_TYPE_ACCEPT, At(10, 16, 8), "cop1")));
  ASSERT_OK(late.Record(MakeEvent(v1::CASE_EVENT_TYPE_CONTACT, At(10, 16, 9), "cop1")));
  ASSERT_OK(late.Record(MakeEvent(v1::CASE_EVENT_TYPE_RESOLVE, At(10, 16, 12), "cop1")));
  v1::CaseEvent revisit = MakeEvent(v1::CASE_EVENT_TYPE_REVISIT, At(10, 19), "回访员");
  revisit.set_satisfied(true);
  ASSERT_OK(late.Record(revisit));
  ASSERT_OK(late.Record(MakeEvent(v1::CASE_EVENT_TYPE_CLOSE, At(10, 20), "desk")));
  Save(late, At(10, 21));
  BriefingOptions options;
  options.roster = roster_.get();
  ASSERT_OK_AND_ASSIGN(Briefing then, MakeBriefing(BriefingKind::kDaily, store_, *map_,
                                                   absl::CivilDay(2026, 10, 14), options));
  const BriefingSection& s = SectionOf(then, "超期未办");
  EXPECT_EQ(s.figures.at(0).key, "warning_red");
  EXPECT_EQ(s.figures.at(0).n, 1);  // red at the end of 10-14
  EXPECT_EQ(s.figures.at(3).n, 1);  // and overdue
  ASSERT_EQ(s.tables.size(), 2u);
  ASSERT_EQ(s.tables.at(1).rows.size(), 1u);  // the red orders
  EXPECT_EQ(s.tables.at(1).rows.at(0).at(0), "late");
  EXPECT_THAT(s.tables.at(1).rows.at(0).at(4), HasSubstr("超期"));
  // The day it was closed it is neither.
  ASSERT_OK_AND_ASSIGN(Briefing after, MakeBriefing(BriefingKind::kDaily, store_, *map_,
                                                    absl::CivilDay(2026, 10, 20), options));
  EXPECT_EQ(SectionOf(after, "超期未办").figures.at(0).n, 0);
  EXPECT_EQ(SectionOf(after, "超期未办").figures.at(3).n, 0);
  // The week of 10-12 carries the red orders too: at its end the case was resolved, its
  // on-site clock never met and its revisit not yet made (it closed the next week).
  ASSERT_OK_AND_ASSIGN(Briefing week, MakeBriefing(BriefingKind::kWeekly, store_, *map_,
                                                   absl::CivilDay(2026, 10, 14), options));
  const BriefingSection& w = SectionOf(week, "超期未办");
  EXPECT_EQ(w.figures.at(0).n, 1);
  ASSERT_EQ(w.tables.at(1).rows.size(), 1u);
  EXPECT_EQ(w.tables.at(1).rows.at(0).at(0), "late");
  EXPECT_THAT(w.tables.at(1).rows.at(0).at(4), HasSubstr("超期"));
}

TEST_F(Briefings, AWeekRunningIntoTheNextMonthScoresTheMonthItCloses) {
  // An order diverted on 10-27 (Tuesday of the week 10-26 .. 11-01) and signed on time.
  CaseLoop order = Open("order", v1::INCIDENT_KIND_NON_POLICE, At(10, 27), {},
                        v1::SEVERITY_UNSPECIFIED, v1::TIER_DEPARTMENT_DIVERSION);
  v1::CaseEvent assign = MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, At(10, 27), "desk");
  assign.set_department(v1::DEPARTMENT_CITY_MANAGEMENT);
  ASSERT_OK(order.Record(assign));
  ASSERT_OK(order.Record(MakeEvent(v1::CASE_EVENT_TYPE_ACCEPT, At(10, 27, 11), "城管")));
  Save(order, At(10, 28));
  ASSERT_OK_AND_ASSIGN(Briefing week, MakeBriefing(BriefingKind::kWeekly, store_, *map_,
                                                   absl::CivilDay(2026, 10, 28)));
  const BriefingSection& s = SectionOf(week, "部门考核");
  ASSERT_GE(s.tables.size(), 1u);
  EXPECT_THAT(s.tables.at(0).title, HasSubstr("2026-10-01"));
  ASSERT_EQ(s.tables.at(0).rows.size(), 1u);
  EXPECT_EQ(s.tables.at(0).rows.at(0).at(0), "城管");
}

TEST_F(Briefings, TheWeekPutsWhatEachLevelCouldNotSettleOnTheNext512MeetingAfterTheHoliday) {
  // The week of 2026-09-28 (Monday) to 10-04: a community-police case the parties took to the
  // street (大调解) on Tuesday; a joint mediation that failed on Wednesday and went up to the
  // court (the district); a community case nobody escalated.
  auto escalated = [&](const std::string& id, v1::Tier tier, absl::Time at,
                       v1::CaseEventType type) {
    CaseLoop loop = Open(id, v1::INCIDENT_KIND_DISPUTE, at, {}, v1::SEVERITY_UNSPECIFIED, tier);
    v1::CaseEvent assign = MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, at, "desk");
    assign.set_assignee("cop1");
    EXPECT_OK(loop.Record(assign));
    if (type == v1::CASE_EVENT_TYPE_MEDIATION_FAILED) {
      EXPECT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_ACCEPT, at + absl::Minutes(1), "cop1")));
      v1::CaseEvent start =
          MakeEvent(v1::CASE_EVENT_TYPE_START_MEDIATION, at + absl::Minutes(2), "cop1");
      start.set_mediation_type(v1::MEDIATION_TYPE_PEOPLES);
      EXPECT_OK(loop.Record(start));
    }
    if (type != v1::CASE_EVENT_TYPE_UNSPECIFIED) {
      v1::CaseEvent up = MakeEvent(type, at + absl::Hours(24), "cop1");
      if (type == v1::CASE_EVENT_TYPE_ESCALATE) {
        up.set_escalation_reason(v1::ESCALATION_REASON_PARTY_REQUEST);
      }
      EXPECT_OK(loop.Record(up));
    }
    return loop;
  };
  Save(
      escalated("community-up", v1::TIER_COMMUNITY_POLICE, At(9, 28), v1::CASE_EVENT_TYPE_ESCALATE),
      At(9, 30));
  Save(escalated("street-up", v1::TIER_JOINT_MEDIATION, At(9, 29),
                 v1::CASE_EVENT_TYPE_MEDIATION_FAILED),
       At(10, 1));
  Save(escalated("not-escalated", v1::TIER_COMMUNITY_POLICE, At(9, 28),
                 v1::CASE_EVENT_TYPE_UNSPECIFIED),
       At(9, 30));
  // Escalated in the week and settled after it: on that week's agenda all the same (the agenda
  // is of the cases as they stood on Sunday night, not as the store holds them now).
  {
    CaseLoop loop = escalated("settled-after", v1::TIER_COMMUNITY_POLICE,
                              At(9, 28) + absl::Hours(1), v1::CASE_EVENT_TYPE_ESCALATE);
    int minute = 0;
    for (v1::CaseEventType type : {v1::CASE_EVENT_TYPE_ASSIGN, v1::CASE_EVENT_TYPE_ACCEPT,
                                   v1::CASE_EVENT_TYPE_CONTACT, v1::CASE_EVENT_TYPE_START_MEDIATION,
                                   v1::CASE_EVENT_TYPE_RESOLVE, v1::CASE_EVENT_TYPE_GIVE_FEEDBACK,
                                   v1::CASE_EVENT_TYPE_REVISIT, v1::CASE_EVENT_TYPE_CLOSE}) {
      const bool revisit = type == v1::CASE_EVENT_TYPE_REVISIT;
      v1::CaseEvent e =
          MakeEvent(type, At(10, 6) + absl::Minutes(++minute), revisit ? "revisitor" : "j1");
      if (type == v1::CASE_EVENT_TYPE_ASSIGN) e.set_assignee("j1");
      if (type == v1::CASE_EVENT_TYPE_START_MEDIATION) {
        e.set_mediation_type(v1::MEDIATION_TYPE_PEOPLES);
      }
      if (type == v1::CASE_EVENT_TYPE_RESOLVE) {
        e.set_mediation_outcome(v1::MEDIATION_OUTCOME_AGREEMENT_WRITTEN);
      }
      if (revisit) e.set_satisfied(true);
      ASSERT_OK(loop.Record(e)) << v1::CaseEventType_Name(type);
    }
    ASSERT_EQ(loop.proto().state(), v1::CASE_STATE_CLOSED);
    Save(loop, At(10, 7));
  }
  BriefingOptions options;
  options.roster = roster_.get();
  ASSERT_OK_AND_ASSIGN(options.consultation.working_calendar, Holidays());
  ASSERT_OK_AND_ASSIGN(Briefing b, MakeBriefing(BriefingKind::kWeekly, store_, *map_,
                                                absl::CivilDay(2026, 9, 30), options));
  const BriefingSection& s = SectionOf(b, "“512”工作安排");
  ASSERT_EQ(s.figures.size(), 2u);
  EXPECT_EQ(s.figures.at(0).key, "agenda_street");
  EXPECT_EQ(s.figures.at(0).n, 2);
  EXPECT_EQ(s.figures.at(1).key, "agenda_district");
  EXPECT_EQ(s.figures.at(1).n, 1);
  ASSERT_EQ(s.tables.size(), 3u);
  // Monday 10-05 and Tuesday 10-06 are National Day holidays: both meetings move to Thursday
  // 10-08, before Friday's walk on 10-09.
  EXPECT_EQ(s.tables.at(0).title, "周一街道会商：2026-10-08（星期四，国庆节顺延）");
  EXPECT_EQ(s.tables.at(1).title, "周二区级会商：2026-10-08（星期四，国庆节顺延）");
  EXPECT_EQ(s.tables.at(2).title, "周五走访：2026-10-09（星期五）");
  ASSERT_EQ(s.tables.at(0).rows.size(), 2u);
  const std::vector<std::string>& community = s.tables.at(0).rows.at(0);
  EXPECT_EQ(community.at(0), "一街道");
  EXPECT_EQ(community.at(1), "community-up");
  EXPECT_EQ(community.at(2), "大调解");
  EXPECT_EQ(community.at(3), "已升级");
  EXPECT_THAT(community.at(4), HasSubstr("（cop1）"));
  EXPECT_EQ(community.at(5), "2026-09-29 10:00");  // on the agenda since the escalation
  EXPECT_EQ(community.at(6), "9.0天");             // to Thursday 10-08 09:00
  EXPECT_EQ(s.tables.at(0).rows.at(1).at(1), "settled-after");
  ASSERT_EQ(s.tables.at(1).rows.size(), 1u);
  EXPECT_EQ(s.tables.at(1).rows.at(0).at(1), "street-up");
  EXPECT_THAT(s.tables.at(2).rows.at(0).at(1), HasSubstr("（4起）"));  // g11's four cases

  // Without the holiday schedule the rhythm is weekly: Monday 10-05.
  options.consultation.working_calendar = nullptr;
  ASSERT_OK_AND_ASSIGN(
      b, MakeBriefing(BriefingKind::kWeekly, store_, *map_, absl::CivilDay(2026, 9, 30), options));
  EXPECT_EQ(SectionOf(b, "“512”工作安排").tables.at(0).title, "周一街道会商：2026-10-05（星期一）");
}

TEST_F(Briefings, AWeekWhoseMeetingsFallInAnUnpublishedHolidayYearSaysSoAndKeepsTheWeeklyRhythm) {
  BriefingOptions options;
  ASSERT_OK_AND_ASSIGN(options.consultation.working_calendar, Holidays());
  // The week of 2026-12-28 to 2027-01-03: its meetings fall in 2027, not yet published.
  ASSERT_OK_AND_ASSIGN(Briefing b, MakeBriefing(BriefingKind::kWeekly, store_, *map_,
                                                absl::CivilDay(2026, 12, 30), options));
  const BriefingSection& s = SectionOf(b, "“512”工作安排");
  EXPECT_EQ(s.tables.at(0).title, "周一街道会商：2027-01-04（星期一）");
  EXPECT_THAT(s.note, HasSubstr("节假日安排尚未发布"));
}

TEST_F(Briefings, ACaseCountsOnceForItsLeadAndCreditsEachCoHandler) {
  // 警律联调: cop1 leads, the lawyer lead1 co-handles and finishes its part; a second case of
  // cop1's has no co-handler.
  CaseLoop joint = Open("joint", v1::INCIDENT_KIND_DISPUTE, At(10, 13));
  v1::CaseEvent assign = MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, At(10, 13), "desk");
  assign.set_assignee("cop1");
  ASSERT_OK(joint.Record(assign));
  ASSERT_OK(
      joint.Record(MakeEvent(v1::CASE_EVENT_TYPE_ACCEPT, At(10, 13) + absl::Seconds(30), "cop1")));
  v1::CaseEvent add =
      MakeEvent(v1::CASE_EVENT_TYPE_ADD_CO_HANDLER, At(10, 13) + absl::Seconds(40), "desk");
  add.set_co_handler("lead1");
  add.mutable_sla()->mutable_accept()->set_seconds(600);
  ASSERT_OK(joint.Record(add));
  ASSERT_OK(joint.Record(
      MakeEvent(v1::CASE_EVENT_TYPE_CO_HANDLER_ACCEPT, At(10, 13) + absl::Seconds(60), "lead1")));
  v1::CaseEvent done =
      MakeEvent(v1::CASE_EVENT_TYPE_CO_HANDLER_DONE, At(10, 13) + absl::Minutes(30), "lead1");
  done.set_reason("释法说理");
  ASSERT_OK(joint.Record(done));
  Save(joint, At(10, 13, 11));
  CaseLoop alone = Open("alone", v1::INCIDENT_KIND_DISPUTE, At(10, 14));
  v1::CaseEvent assign2 = MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, At(10, 14), "desk");
  assign2.set_assignee("cop1");
  ASSERT_OK(alone.Record(assign2));
  Save(alone, At(10, 14, 11));

  // A matter diverted to 城管: the loop names the holder by the department's short name; the
  // table prints its Chinese name.
  CaseLoop diverted = Open("diverted", v1::INCIDENT_KIND_DISPUTE, At(10, 14, 12), {},
                           v1::SEVERITY_UNSPECIFIED, v1::TIER_DEPARTMENT_DIVERSION);
  v1::CaseEvent to_department = MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, At(10, 14, 12), "desk");
  to_department.set_department(v1::DEPARTMENT_CITY_MANAGEMENT);
  ASSERT_OK(diverted.Record(to_department));
  Save(diverted, At(10, 14, 13));

  ASSERT_OK_AND_ASSIGN(
      Briefing b, MakeBriefing(BriefingKind::kWeekly, store_, *map_, absl::CivilDay(2026, 10, 14)));
  const BriefingTable& t = SectionOf(b, "各责任人情况").tables.at(0);
  ASSERT_EQ(t.header.size(), 6u);
  EXPECT_EQ(t.header.at(4), "协办");
  std::map<std::string, std::vector<std::string>> by_person;
  for (const auto& row : t.rows) by_person[row.at(0)] = row;
  ASSERT_TRUE(by_person.contains("cop1"));
  ASSERT_TRUE(by_person.contains("lead1"));
  // 责任人, 承办, 已办结, 超期未办, 协办, 协办已完成
  EXPECT_EQ(by_person["cop1"].at(1), "2");
  EXPECT_EQ(by_person["cop1"].at(4), "0");
  EXPECT_EQ(by_person["lead1"].at(1), "0");  // the joint case counts once, for its lead
  EXPECT_EQ(by_person["lead1"].at(4), "1");
  EXPECT_EQ(by_person["lead1"].at(5), "1");
  ASSERT_TRUE(by_person.contains("城管"));
  EXPECT_EQ(by_person["城管"].at(1), "1");
}

TEST_F(Briefings, TheWeekCountsEachSupervisionStepAndListsOrdersSupervisedAboveThePlatform) {
  // Two orders diverted to 住建 on Monday 10-12 with two working days each (due Wed 10-14
  // 10:00); the centre urges both, the first climbs to the government office.
  CaseLoopOptions options;
  options.circular_after_working_days = 1;
  std::vector<CaseLoop> orders;
  for (const char* id : {"slow", "late"}) {
    v1::Incident incident;
    incident.set_id(id);
    incident.set_grid_code("g11");
    incident.set_kind(v1::INCIDENT_KIND_DISPUTE);
    *incident.mutable_reported_at() = internal_ToTimestamp(At(10, 12));
    v1::Decision d = testing::RoutedTo(v1::TIER_DEPARTMENT_DIVERSION);
    d.mutable_action()->mutable_sla()->set_resolve_working_days(2);
    ASSERT_OK_AND_ASSIGN(CaseLoop loop, CaseLoop::Open(incident, d, At(10, 12), "12345", options));
    v1::CaseEvent assign = MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, At(10, 12), "desk");
    assign.set_department(v1::DEPARTMENT_HOUSING_CONSTRUCTION);
    ASSERT_OK(loop.Record(assign));
    orders.push_back(std::move(loop));
  }
  auto urge = [](v1::SupervisionStep step, absl::Time at) {
    v1::CaseEvent e = MakeEvent(v1::CASE_EVENT_TYPE_SUPERVISE, at, "centre");
    e.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
    e.set_supervision_step(step);
    return e;
  };
  ASSERT_OK(orders[0].Record(urge(v1::SUPERVISION_STEP_REMINDER, At(10, 13))));
  ASSERT_OK(orders[0].Record(urge(v1::SUPERVISION_STEP_NOTICE, At(10, 14, 11))));
  ASSERT_OK(orders[0].Record(urge(v1::SUPERVISION_STEP_CIRCULAR, At(10, 15, 11))));
  ASSERT_OK(orders[0].Record(urge(v1::SUPERVISION_STEP_ESCALATED, At(10, 15, 12))));
  ASSERT_OK(orders[1].Record(urge(v1::SUPERVISION_STEP_NOTICE, At(10, 15, 9))));
  // The store replays each log under the district's rules (a circular after one working day).
  MemoryCaseStore store(std::make_shared<const CaseLoopOptions>(options));
  for (const CaseLoop& o : orders) {
    const v1::Case* c = &o.proto();
    if (o.proto().supervision().circulars() > 0) {
      EXPECT_THAT(
          store_.Save({&c, 1}, At(10, 16)),
          testing::StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("does not replay")));
    }
    ASSERT_OK(store.Save({&c, 1}, At(10, 16)));
  }

  ASSERT_OK_AND_ASSIGN(
      Briefing b, MakeBriefing(BriefingKind::kWeekly, store, *map_, absl::CivilDay(2026, 10, 14)));
  const BriefingSection& s = SectionOf(b, "督办");
  std::map<std::string, double> figures;
  for (const BriefingFigure& f : s.figures) figures[f.label] = f.value;
  EXPECT_EQ(figures["催办"], 1);
  EXPECT_EQ(figures["催办通知书"], 2);
  EXPECT_EQ(figures["通报"], 1);
  EXPECT_EQ(figures["提级督办"], 1);
  const BriefingTable& t = s.tables.at(0);
  ASSERT_EQ(t.rows.size(), 1u);  // only the order above the platform
  EXPECT_EQ(t.rows[0].at(0), "slow");
  EXPECT_EQ(t.rows[0].at(1), "住建");
  EXPECT_EQ(t.rows[0].at(2), "区政府办公室");
  // The week before saw none of it.
  ASSERT_OK_AND_ASSIGN(Briefing before, MakeBriefing(BriefingKind::kWeekly, store, *map_,
                                                     absl::CivilDay(2026, 10, 7)));
  for (const BriefingFigure& f : SectionOf(before, "督办").figures) EXPECT_EQ(f.value, 0);
}

TEST_F(Briefings, AnEmptyStoreGivesBriefingsThatSaySoWithoutInventingZeros) {
  for (BriefingKind kind : {BriefingKind::kDaily, BriefingKind::kWeekly, BriefingKind::kMonthly}) {
    ASSERT_OK_AND_ASSIGN(Briefing b,
                         MakeBriefing(kind, store_, *map_, absl::CivilDay(2026, 10, 14)));
    const std::string html = RenderHtml(b);
    EXPECT_THAT(html, HasSubstr("无")) << BriefingKindName(kind);
    for (const BriefingSection& s : b.sections) {
      for (const BriefingFigure& f : s.figures) {
        if (f.is_rate) {
          EXPECT_FALSE(f.defined) << f.key << ": a rate of nothing is not 0%";
        }
      }
    }
  }
  ASSERT_OK_AND_ASSIGN(Briefing month, MakeBriefing(BriefingKind::kMonthly, store_, *map_,
                                                    absl::CivilDay(2026, 10, 14)));
  EXPECT_THAT(RenderMarkdown(month), HasSubstr("| 2026-10 | 无数据 |"));
}

TEST_F(Briefings, TheMonthlyTrendDrawsTheMonthsTheStoreCoversOnAnAxisWhereTheDataIs) {
  for (int i = 0; i < 40; ++i) {
    Save(Open(absl::StrCat("s", i), v1::INCIDENT_KIND_TRAFFIC, At(9, 1 + i % 28)), At(9, 29));
  }
  for (int i = 0; i < 44; ++i) {
    Save(Open(absl::StrCat("o", i), v1::INCIDENT_KIND_TRAFFIC, At(10, 1 + i % 28)), At(10, 29));
  }
  ASSERT_OK_AND_ASSIGN(Briefing b, MakeBriefing(BriefingKind::kMonthly, store_, *map_,
                                                absl::CivilDay(2026, 10, 14)));
  const BriefingSection& trend = SectionOf(b, "近13个月警情趋势");
  EXPECT_THAT(trend.svg, HasSubstr(">2026-09<"));
  EXPECT_THAT(trend.svg, HasSubstr(">2026-10<"));
  EXPECT_THAT(trend.svg, Not(HasSubstr(">2026-08<"))) << "no data is not zero incidents";
  // 40 and 44 incidents: the axis runs from 40, not from 0.
  EXPECT_THAT(trend.svg, HasSubstr(">40</text>"));
  EXPECT_THAT(trend.svg, Not(HasSubstr(">0</text>")));
}

TEST_F(Briefings, PagesAreSelfContainedAndEscapeWhatTheyQuote) {
  Save(Open("<b>x</b>", v1::INCIDENT_KIND_DISPUTE, At(10, 14), {{"p-1", "王<小>明"}}), At(10, 14));
  Save(Open("<b>y</b>", v1::INCIDENT_KIND_DISPUTE, At(10, 14), {{"p-1", "王<小>明"}}), At(10, 14));
  ASSERT_OK_AND_ASSIGN(
      Briefing b, MakeBriefing(BriefingKind::kDaily, store_, *map_, absl::CivilDay(2026, 10, 14)));
  const std::string html = RenderHtml(b);
  EXPECT_THAT(html, Not(HasSubstr("<b>x</b>")));
  EXPECT_THAT(html, HasSubstr("&lt;b&gt;x&lt;/b&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("src=\"http")));
  EXPECT_THAT(html, Not(HasSubstr("href=\"http")));
  EXPECT_THAT(html, HasSubstr("@page { size: A4 portrait"));
}

TEST_F(Briefings, KindsAndDatesOutOfRangeAreInvalidArgument) {
  EXPECT_THAT(ParseBriefingKind("yearly"), testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                                             HasSubstr("daily, weekly, monthly")));
  EXPECT_THAT(MakeBriefing(BriefingKind::kDaily, store_, *map_, absl::CivilDay(1899, 12, 31)),
              testing::StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("outside")));
}

}  // namespace
}  // namespace fengqiao
