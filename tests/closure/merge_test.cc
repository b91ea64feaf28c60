// 并单 (issue 18, point 4): duplicate requests merged into one order with every requester kept.
// The command room merges; the order that stays keeps each duplicate's report (MERGE), the
// duplicate ends DUPLICATE naming the order; both or neither change; the log replays; the
// requesters' personal data is masked like the order's own; the metrics count the merged ones.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/metrics/case_metrics.h"
#include "fengqiao/metrics/case_record.h"
#include "fengqiao/privacy/masking.h"
#include "fengqiao/store/sqlite_case_store.h"
#include "fengqiao/time_zone.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/sample_district.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::StatusIs;
using ::testing::HasSubstr;

absl::Time Local(int d, int h, int min = 0) {
  return absl::FromCivil(absl::CivilMinute(2026, 10, d, h, min), ChinaTimeZone());
}

// A 12345 request about night construction noise by one resident.
CaseLoop Request(const std::string& id, absl::Time at, const std::string& phone) {
  v1::Incident incident;
  incident.set_id(id);
  incident.set_channel(v1::CHANNEL_HOTLINE_12345);
  incident.set_kind(v1::INCIDENT_KIND_NON_POLICE);
  incident.set_responsible_department(v1::DEPARTMENT_CITY_MANAGEMENT);
  incident.set_grid_code("g11");
  incident.mutable_reported_at()->set_seconds(absl::ToUnixSeconds(at));
  v1::Party* caller = incident.add_parties();
  caller->set_role(v1::PARTY_ROLE_COMPLAINANT);
  caller->set_name("王小明");
  caller->set_phone(phone);
  incident.set_description("工地夜间施工噪音");
  v1::Decision d;
  d.set_rule_id("noise-construction");
  d.mutable_action()->set_tier(v1::TIER_DEPARTMENT_DIVERSION);
  d.mutable_action()->set_department(v1::DEPARTMENT_CITY_MANAGEMENT);
  d.mutable_action()->mutable_sla()->mutable_accept()->set_seconds(3600);
  d.mutable_action()->mutable_sla()->mutable_resolve()->set_seconds(5 * 86400);
  absl::StatusOr<CaseLoop> loop = CaseLoop::Open(incident, d, at, "12345");
  EXPECT_OK(loop);
  return *std::move(loop);
}

v1::CaseEvent Assigned(absl::Time at) {
  v1::CaseEvent e = MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, at, "12345");
  e.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
  e.set_assignee("城管");
  e.set_department(v1::DEPARTMENT_CITY_MANAGEMENT);
  return e;
}

TEST(Merge, TheDuplicateRequestJoinsTheOrderWithItsRequesterAndEndsAsADuplicate) {
  CaseLoop lead = Request("r-1", Local(14, 22), "13800001111");
  ASSERT_OK(lead.Record(Assigned(Local(14, 22, 5))));
  CaseLoop second = Request("r-2", Local(14, 22, 40), "13900002222");
  ASSERT_OK(MergeDuplicate(lead, second, Local(14, 22, 45), "12345"));

  EXPECT_EQ(lead.state().state, v1::CASE_STATE_ASSIGNED);  // the order runs on
  const v1::CaseEvent& merge = lead.proto().events(lead.proto().events_size() - 1);
  EXPECT_EQ(merge.type(), v1::CASE_EVENT_TYPE_MERGE);
  EXPECT_EQ(merge.merged_case_id(), "r-2");
  EXPECT_EQ(merge.actor_role(), v1::ACTOR_ROLE_COMMAND_ROOM);
  EXPECT_EQ(second.state().state, v1::CASE_STATE_DUPLICATE);
  const v1::CaseEvent& mark = second.proto().events(second.proto().events_size() - 1);
  EXPECT_EQ(mark.type(), v1::CASE_EVENT_TYPE_MARK_DUPLICATE);
  EXPECT_EQ(mark.duplicate_of(), "r-1");

  // Every requester is kept, the order's own first.
  std::vector<const v1::Incident*> requests = Requests(lead.proto());
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0]->id(), "r-1");
  EXPECT_EQ(requests[1]->id(), "r-2");
  EXPECT_EQ(requests[1]->parties(0).phone(), "13900002222");

  // A third request merges into the order too; merging the second again is refused.
  CaseLoop third = Request("r-3", Local(15, 7), "13700003333");
  ASSERT_OK(MergeDuplicate(lead, third, Local(15, 7, 10), "12345"));
  EXPECT_EQ(Requests(lead.proto()).size(), 3u);
  CaseLoop again = Request("r-2", Local(15, 8), "13900002222");
  EXPECT_THAT(MergeDuplicate(lead, again, Local(15, 8, 5), "12345"),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already merged")));
  EXPECT_EQ(again.state().state, v1::CASE_STATE_TRIAGED);  // unchanged

  // Both logs replay, and the store's in-place check agrees.
  for (const CaseLoop* loop : {&lead, &second, &third}) {
    ASSERT_OK_AND_ASSIGN(CaseLoop replayed, CaseLoop::Restore(loop->proto()));
    EXPECT_EQ(replayed.proto().SerializeAsString(), loop->proto().SerializeAsString());
    ASSERT_OK_AND_ASSIGN(LoopState in_place, CaseLoop::ReplayState(loop->proto(), nullptr));
    EXPECT_EQ(in_place, loop->state());
  }
}

TEST(Merge, AnOrderThatAbsorbedOthersBringsItsRequestersWhenItIsMergedInTurn) {
  CaseLoop a = Request("a", Local(14, 9), "13800001111");
  CaseLoop b = Request("b", Local(14, 10), "13900002222");
  CaseLoop c = Request("c", Local(14, 11), "13700003333");
  ASSERT_OK(MergeDuplicate(b, c, Local(14, 11, 5), "12345"));
  ASSERT_OK(MergeDuplicate(a, b, Local(14, 11, 30), "12345"));
  std::vector<std::string> ids;
  for (const v1::Incident* r : Requests(a.proto())) ids.push_back(r->id());
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(Merge, APausedOrderStillTakesADuplicateAndAFinalOneDoesNot) {
  CaseLoop lead = Request("p-1", Local(14, 9), "13800001111");
  ASSERT_OK(lead.Record(Assigned(Local(14, 9, 5))));
  v1::CaseEvent pause = MakeEvent(v1::CASE_EVENT_TYPE_PAUSE, Local(14, 10), "城管");
  pause.set_reason("等待当事人补充材料");
  ASSERT_OK(lead.Record(pause));
  CaseLoop dup = Request("p-2", Local(14, 11), "13900002222");
  ASSERT_OK(MergeDuplicate(lead, dup, Local(14, 11, 5), "12345"));
  EXPECT_TRUE(lead.state().paused);

  CaseLoop closed = Request("p-3", Local(14, 9), "13800001111");
  v1::CaseEvent cancel = MakeEvent(v1::CASE_EVENT_TYPE_CANCEL, Local(14, 9, 1), "12345");
  cancel.set_reason("报错");
  ASSERT_OK(closed.Record(cancel));
  CaseLoop late = Request("p-4", Local(14, 12), "13900002222");
  const v1::Case before = late.proto();
  EXPECT_THAT(MergeDuplicate(closed, late, Local(14, 12, 5), "12345"),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("CANCELLED")));
  EXPECT_EQ(late.proto().SerializeAsString(), before.SerializeAsString());
}

TEST(Merge, AResolvedRequestIsNotADuplicateAndNeitherCaseChanges) {
  CaseLoop lead = Request("s-1", Local(14, 9), "13800001111");
  CaseLoop done = Request("s-2", Local(14, 9, 30), "13900002222");
  ASSERT_OK(done.Record(Assigned(Local(14, 9, 31))));
  ASSERT_OK(done.Record(MakeEvent(v1::CASE_EVENT_TYPE_ACCEPT, Local(14, 9, 40), "城管")));
  ASSERT_OK(done.Record(MakeEvent(v1::CASE_EVENT_TYPE_CONTACT, Local(14, 9, 50), "城管")));
  ASSERT_OK(done.Record(MakeEvent(v1::CASE_EVENT_TYPE_RESOLVE, Local(14, 11), "城管")));
  const std::string lead_before = lead.proto().SerializeAsString();
  EXPECT_THAT(MergeDuplicate(lead, done, Local(14, 12), "12345"),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("MARK_DUPLICATE")));
  EXPECT_EQ(lead.proto().SerializeAsString(), lead_before);  // all or nothing
  EXPECT_THAT(MergeDuplicate(lead, lead, Local(14, 12), "12345"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("itself")));
}

TEST(Merge, AMalformedMergeIsRefusedNamingTheField) {
  CaseLoop lead = Request("m-1", Local(14, 9), "13800001111");
  v1::CaseEvent merge = MakeEvent(v1::CASE_EVENT_TYPE_MERGE, Local(14, 10), "12345");
  merge.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
  EXPECT_THAT(lead.Record(merge),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("merged_case_id")));
  merge.set_merged_case_id("m-2");
  EXPECT_THAT(lead.Record(merge),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("merged_requests")));
  merge.add_merged_requests();  // a report without its id
  EXPECT_THAT(lead.Record(merge),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("merged_requests[0]")));
  merge.mutable_merged_requests(0)->set_id("m-2");
  merge.set_actor_role(v1::ACTOR_ROLE_HANDLER);  // 并单 is the centre's
  EXPECT_THAT(lead.Record(merge),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("command room")));
  merge.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
  merge.set_merged_case_id("m-1");
  EXPECT_THAT(lead.Record(merge),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("itself")));
  v1::CaseEvent self = MakeEvent(v1::CASE_EVENT_TYPE_MARK_DUPLICATE, Local(14, 10), "12345");
  self.set_duplicate_of("m-1");
  EXPECT_THAT(lead.Record(self), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("itself")));
  EXPECT_EQ(lead.proto().events_size(), 2);  // REPORT, TRIAGE: nothing recorded
  // A stored log that merges the same duplicate twice does not replay.
  merge.set_merged_case_id("m-2");
  ASSERT_OK(lead.Record(merge));
  v1::Case tampered = lead.proto();
  *tampered.add_events() = tampered.events(2);
  tampered.mutable_events(3)->set_seq(4);
  EXPECT_THAT(CaseLoop::Restore(tampered),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("already merged")));
  EXPECT_THAT(CaseLoop::ReplayState(tampered, nullptr),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("already merged")));
}

TEST(Merge, TheMergedRequestersPhonesAreMaskedLikeTheOrdersOwn) {
  CaseLoop lead = Request("k-1", Local(14, 9), "13800001111");
  CaseLoop dup = Request("k-2", Local(14, 10), "13900002222");
  ASSERT_OK(MergeDuplicate(lead, dup, Local(14, 10, 5), "12345"));
  const v1::Case masked = Masked(lead.proto());
  const std::string text = masked.DebugString();
  EXPECT_EQ(text.find("13900002222"), std::string::npos);
  EXPECT_EQ(text.find("王小明"), std::string::npos);
  EXPECT_EQ(Requests(masked).size(), 2u);  // still two requesters, masked
}

TEST(Merge, BothCasesAreSavedTogetherAndTheMetricsCountTheMergedRequest) {
  const std::filesystem::path path =
      std::filesystem::path(::testing::TempDir()) / "merge_test.sqlite";
  std::filesystem::remove(path);
  ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(path.string()));
  CaseLoop lead = Request("t-1", Local(14, 9), "13800001111");
  CaseLoop dup = Request("t-2", Local(14, 10), "13900002222");
  CaseLoop other = Request("t-3", Local(14, 11), "13700003333");
  ASSERT_OK(store->Save({&lead.proto(), &dup.proto(), &other.proto()}, Local(14, 11)));
  ASSERT_OK(MergeDuplicate(lead, dup, Local(14, 12), "12345"));
  ASSERT_OK(store->Save({&lead.proto(), &dup.proto()}, Local(14, 12)));
  ASSERT_OK_AND_ASSIGN(v1::Case stored_lead, store->Get("t-1"));
  ASSERT_OK_AND_ASSIGN(v1::Case stored_dup, store->Get("t-2"));
  EXPECT_EQ(Requests(stored_lead).size(), 2u);
  EXPECT_EQ(stored_dup.state(), v1::CASE_STATE_DUPLICATE);

  // One request of three was merged into another order.
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const GridMap> map,
                       GridMap::Parse(testing::TinyGridMapText(), "tiny.textproto"));
  CaseRecordBuilder builder(*map);
  MetricsOptions options;
  options.period_start = absl::FromCivil(absl::CivilDay(2026, 10, 1), ChinaTimeZone());
  options.period_end = absl::FromCivil(absl::CivilDay(2026, 11, 1), ChinaTimeZone());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<CaseMetrics> metrics, CaseMetrics::Create(*map, options));
  for (const v1::Case* c :
       std::vector<const v1::Case*>{&stored_lead, &stored_dup, &other.proto()}) {
    const CaseRecord r = builder.Add(*c);
    EXPECT_EQ((r.flags & kRecordMergedInto) != 0, c->id() == "t-2");
    metrics->Add(r);
  }
  const v1::MetricsReport report = metrics->Report();
  ASSERT_EQ(report.groups_size(), 1);
  bool found = false;
  for (const v1::Rate& rate : report.groups(0).rates()) {
    if (rate.name() != "merged_into_another_order") continue;
    found = true;
    EXPECT_EQ(rate.numerator(), 1);
    EXPECT_EQ(rate.denominator(), 3);
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace fengqiao
