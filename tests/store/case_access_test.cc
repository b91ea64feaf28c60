// Who sees which case, masked how, and what the audit trail records: every test runs on both
// stores (memory and SQLite) through the public CaseAccess.
#include "fengqiao/store/case_access.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <thread>

#include <sqlite3.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/metrics/case_record_reader.h"
#include "fengqiao/store/memory_case_store.h"
#include "fengqiao/store/sqlite_case_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "internal/time_util.h"
#include "testing/cases.h"
#include "testing/fresh_db.h"
#include "testing/status_matchers.h"
#include "testing/viewers.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::Advance;
using ::fengqiao::testing::FreshDbPath;
using ::fengqiao::testing::kOpenedAt;
using ::fengqiao::testing::RoutedTo;
using ::fengqiao::testing::StatusIs;
using ::testing::_;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

const absl::Time kNow = kOpenedAt + absl::Hours(2);
constexpr char kName[] = "郑小梅";
constexpr char kPhone[] = "13912345678";

// A case in `grid` whose party has a name and phone, assigned to `assignee` when set.
CaseLoop PartyCase(const std::string& id, const std::string& grid, const std::string& assignee,
                   v1::Department department = v1::DEPARTMENT_UNSPECIFIED) {
  v1::Incident incident;
  incident.set_id(id);
  incident.set_grid_code(grid);
  incident.set_description(absl::StrCat("楼上噪音,我叫", kName, ",电话", kPhone));
  v1::Party* p = incident.add_parties();
  p->set_person_id("p-" + id);
  p->set_name(kName);
  p->set_phone(kPhone);
  v1::Decision decision = RoutedTo(
      department == v1::DEPARTMENT_UNSPECIFIED ? v1::TIER_MEDIATOR : v1::TIER_DEPARTMENT_DIVERSION);
  decision.mutable_action()->set_department(department);
  CaseLoop loop = *CaseLoop::Open(incident, decision, kOpenedAt, "110");
  if (!assignee.empty()) Advance(loop, kOpenedAt + absl::Minutes(1), assignee);
  return loop;
}

class Access : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    map_ = *GridMap::Load(FENGQIAO_SOURCE_DIR "/examples/data/grid_map.textproto");
    if (GetParam() == "memory") {
      store_ = std::make_unique<MemoryCaseStore>();
    } else {
      path_ = FreshDbPath("access");
      store_ = *SqliteCaseStore::Open(path_);
    }
    // c1, c2 in grid g1 of community c1; c3 in c2's grid g1; c4 held by mediator m-7 in another
    // street; c5 diverted to city management.
    cases_.push_back(PartyCase("c1", "xc-lc-c1-g1", ""));
    cases_.push_back(PartyCase("c2", "xc-lc-c1-g1", "m-police"));
    cases_.push_back(PartyCase("c3", "xc-lc-c2-g1", ""));
    cases_.push_back(PartyCase("c4", "xc-qd-c1-g1", "m-7"));
    cases_.push_back(PartyCase("c5", "xc-qd-c1-g1", "", v1::DEPARTMENT_CITY_MANAGEMENT));
    for (const CaseLoop& c : cases_) ASSERT_OK(store_->Save({&c.proto()}, kOpenedAt));
  }

  absl::StatusOr<CaseAccess> As(v1::ViewerRole role, std::vector<std::string> areas,
                                v1::AccessPurpose purpose, bool unmasked,
                                const std::string& member = "m-viewer",
                                v1::Department department = v1::DEPARTMENT_UNSPECIFIED) {
    v1::Viewer v;
    v.set_member_id(member);
    v.set_role(role);
    for (const std::string& a : areas) v.add_area_codes(a);
    v.set_purpose(purpose);
    v.set_unmasked(unmasked);
    v.set_department(department);
    return CaseAccess::Open(store_.get(), map_, v);
  }

  CaseAccess Chief(bool unmasked = false,
                   v1::AccessPurpose purpose = v1::ACCESS_PURPOSE_SUPERVISION) {
    return *As(v1::VIEWER_ROLE_STATION_CHIEF, {"xc"}, purpose, unmasked, "m-chief");
  }

  std::shared_ptr<const GridMap> map_;
  std::unique_ptr<CaseStore> store_;
  std::string path_;
  std::vector<CaseLoop> cases_;
};

INSTANTIATE_TEST_SUITE_P(BothStores, Access, ::testing::Values("memory", "sqlite"));

TEST_P(Access, EachRoleFindsExactlyItsCases) {
  const auto find = [](absl::StatusOr<CaseAccess> a) -> std::vector<std::string> {
    EXPECT_OK(a.status());
    if (!a.ok()) return {};
    return *a->Find({});
  };
  const auto handling = v1::ACCESS_PURPOSE_CASE_HANDLING;
  EXPECT_THAT(find(As(v1::VIEWER_ROLE_STATION_CHIEF, {"xc-lc"}, handling, false)),
              ElementsAre("c1", "c2", "c3"));
  EXPECT_THAT(find(As(v1::VIEWER_ROLE_STATION_CHIEF, {"xc"}, handling, false)),
              ElementsAre("c1", "c2", "c3", "c4", "c5"));
  EXPECT_THAT(find(As(v1::VIEWER_ROLE_GRID_WORKER, {"xc-lc-c1-g1"}, handling, false)),
              ElementsAre("c1", "c2"));
  EXPECT_THAT(find(As(v1::VIEWER_ROLE_ANALYST, {"xc-lc-c2"}, v1::ACCESS_PURPOSE_ANALYSIS, false)),
              ElementsAre("c3"));
  // Community police: the 警格's grids and what they hold anywhere.
  EXPECT_THAT(
      find(As(v1::VIEWER_ROLE_COMMUNITY_POLICE, {"xc-lc-c2-g1"}, handling, false, "m-police")),
      ElementsAre("c2", "c3"));
  EXPECT_THAT(find(As(v1::VIEWER_ROLE_COMMUNITY_POLICE, {}, handling, false, "m-police")),
              ElementsAre("c2"));
  EXPECT_THAT(find(As(v1::VIEWER_ROLE_MEDIATOR, {}, handling, false, "m-7")), ElementsAre("c4"));
  EXPECT_THAT(find(As(v1::VIEWER_ROLE_MEDIATOR, {}, handling, false, "m-nobody")), IsEmpty());
  EXPECT_THAT(find(As(v1::VIEWER_ROLE_DEPARTMENT, {}, handling, false, "desk-cg",
                      v1::DEPARTMENT_CITY_MANAGEMENT)),
              ElementsAre("c5"));
  // The query still applies, and the limit counts the viewer's cases.
  CaseQuery in_grid;
  in_grid.grid_code = "xc-lc-c1-g1";
  EXPECT_THAT(*Chief().Find(in_grid), ElementsAre("c1", "c2"));
  CaseQuery two;
  two.limit = 2;
  EXPECT_THAT(find(As(v1::VIEWER_ROLE_GRID_WORKER, {"xc-lc-c1-g2"}, handling, false)), IsEmpty());
  EXPECT_THAT(*As(v1::VIEWER_ROLE_STATION_CHIEF, {"xc-lc-c2", "xc-qd"}, handling, false)->Find(two),
              ElementsAre("c3", "c4"));
}

TEST_P(Access, MetricsRecordsThroughAViewerCoverItsCasesOnlyAndAuditAClearRead) {
  ASSERT_OK_AND_ASSIGN(CaseAccess analyst, As(v1::VIEWER_ROLE_ANALYST, {"xc-lc"},
                                              v1::ACCESS_PURPOSE_ANALYSIS, false, "m-a"));
  ASSERT_OK_AND_ASSIGN(CaseRecordTable mine, ReadCaseRecords(analyst, *map_, kNow));
  EXPECT_THAT(mine.case_ids, UnorderedElementsAre("c1", "c2", "c3"));
  ASSERT_OK_AND_ASSIGN(CaseRecordTable all, ReadCaseRecords(*store_, *map_));
  ASSERT_EQ(all.case_ids.size(), 5u);
  for (size_t i = 0, k = 0; i < all.case_ids.size(); ++i) {
    if (all.case_ids[i] == "c4" || all.case_ids[i] == "c5") continue;
    EXPECT_EQ(mine.case_ids[k], all.case_ids[i]);
    EXPECT_EQ(mine.records[k].assign_s, all.records[i].assign_s);
    EXPECT_EQ(mine.records[k].area, all.records[i].area);
    ++k;
  }
  EXPECT_THAT(*Chief().AuditTrail({}, kNow), IsEmpty()) << "a masked read is not recorded";
  // A chief reading in clear: one record naming every case read.
  ASSERT_OK(ReadCaseRecords(Chief(true), *map_, kNow).status());
  ASSERT_OK_AND_ASSIGN(std::vector<v1::AuditRecord> trail, Chief().AuditTrail({}, kNow));
  ASSERT_EQ(trail.size(), 2u);  // the first AuditTrail call, then the clear read
  EXPECT_EQ(trail[1].action(), v1::AUDIT_ACTION_READ_UNMASKED);
  EXPECT_EQ(trail[1].case_ids_size(), 5);
}

TEST_P(Access, ACaseOutsideTheScopeIsNotFoundLikeAMissingOne) {
  ASSERT_OK_AND_ASSIGN(CaseAccess worker, As(v1::VIEWER_ROLE_GRID_WORKER, {"xc-lc-c1-g1"},
                                             v1::ACCESS_PURPOSE_CASE_HANDLING, false));
  ASSERT_OK(worker.Get("c1", kNow).status());
  const absl::Status outside = worker.Get("c3", kNow).status();
  const absl::Status missing = worker.Get("c99", kNow).status();
  EXPECT_THAT(outside, StatusIs(absl::StatusCode::kNotFound, ::testing::_));
  EXPECT_THAT(missing, StatusIs(absl::StatusCode::kNotFound, ::testing::_));
  // The message does not tell a stored case from a missing one.
  EXPECT_EQ(std::string(outside.message()).find("c3") != std::string::npos,
            std::string(missing.message()).find("c99") != std::string::npos);
  EXPECT_EQ(absl::StrReplaceAll(std::string(outside.message()), {{"c3", "X"}}),
            absl::StrReplaceAll(std::string(missing.message()), {{"c99", "X"}}));
  EXPECT_THAT(worker.Timeline("c3", kNow), StatusIs(absl::StatusCode::kNotFound, ::testing::_));
}

TEST_P(Access, PersonalDataIsMaskedUnlessTheRoleAndPurposeAllow) {
  // Masked by default, for every role.
  ASSERT_OK_AND_ASSIGN(v1::Case masked, Chief().Get("c1", kNow));
  EXPECT_EQ(masked.incident().parties(0).phone(), "139****5678");
  EXPECT_THAT(masked.DebugString(), Not(HasSubstr(kPhone)));
  EXPECT_THAT(masked.DebugString(), Not(HasSubstr(kName)));
  // In clear for the station chief's supervision.
  ASSERT_OK_AND_ASSIGN(v1::Case clear, Chief(true).Get("c1", kNow));
  EXPECT_EQ(clear.incident().parties(0).phone(), kPhone);
  EXPECT_EQ(clear.incident().parties(0).name(), kName);
  // A grid worker handling the case sees the name, never the contact details or free text.
  ASSERT_OK_AND_ASSIGN(CaseAccess worker, As(v1::VIEWER_ROLE_GRID_WORKER, {"xc-lc-c1-g1"},
                                             v1::ACCESS_PURPOSE_CASE_HANDLING, true));
  ASSERT_OK_AND_ASSIGN(v1::Case partly, worker.Get("c1", kNow));
  EXPECT_EQ(partly.incident().parties(0).name(), kName);
  EXPECT_EQ(partly.incident().parties(0).phone(), "139****5678");
  EXPECT_THAT(partly.incident().description(), Not(HasSubstr(kPhone)));
  // The timeline is masked the same way as the case.
  ASSERT_OK_AND_ASSIGN(std::vector<v1::CaseEvent> events, Chief().Timeline("c2", kNow));
  EXPECT_EQ(events.size(), 3u);  // report, triage, assign
}

TEST_P(Access, WhoMayAskForClearDataIsFixedByRoleAndPurpose) {
  struct Row {
    v1::ViewerRole role;
    v1::AccessPurpose purpose;
    bool allowed;
  };
  const Row rows[] = {
      {v1::VIEWER_ROLE_STATION_CHIEF, v1::ACCESS_PURPOSE_SUPERVISION, true},
      {v1::VIEWER_ROLE_STATION_CHIEF, v1::ACCESS_PURPOSE_EXPORT, true},
      {v1::VIEWER_ROLE_STATION_CHIEF, v1::ACCESS_PURPOSE_ANALYSIS, false},
      {v1::VIEWER_ROLE_COMMUNITY_POLICE, v1::ACCESS_PURPOSE_CASE_HANDLING, true},
      {v1::VIEWER_ROLE_COMMUNITY_POLICE, v1::ACCESS_PURPOSE_EXPORT, false},
      {v1::VIEWER_ROLE_MEDIATOR, v1::ACCESS_PURPOSE_CASE_HANDLING, true},
      {v1::VIEWER_ROLE_GRID_WORKER, v1::ACCESS_PURPOSE_CASE_HANDLING, true},
      {v1::VIEWER_ROLE_GRID_WORKER, v1::ACCESS_PURPOSE_ANALYSIS, false},
      {v1::VIEWER_ROLE_ANALYST, v1::ACCESS_PURPOSE_ANALYSIS, false},
      {v1::VIEWER_ROLE_ANALYST, v1::ACCESS_PURPOSE_CASE_HANDLING, false},
      {v1::VIEWER_ROLE_ANALYST, v1::ACCESS_PURPOSE_EXPORT, false},
  };
  for (const Row& row : rows) {
    const absl::Status s = As(row.role, {"xc"}, row.purpose, true).status();
    if (row.allowed) {
      EXPECT_OK(s) << row.role << " " << row.purpose;
    } else {
      EXPECT_THAT(s, StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("in clear")))
          << row.role << " " << row.purpose;
    }
    // Masked reads are open to every role for every purpose it may have.
    if (row.purpose != v1::ACCESS_PURPOSE_SUPERVISION) {
      EXPECT_OK(As(row.role, {"xc"}, row.purpose, false).status()) << row.role;
    }
  }
  EXPECT_THAT(As(v1::VIEWER_ROLE_MEDIATOR, {}, v1::ACCESS_PURPOSE_SUPERVISION, false),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("督办")));
}

TEST_P(Access, ABadViewerIsRefusedNamingTheField) {
  const auto handling = v1::ACCESS_PURPOSE_CASE_HANDLING;
  EXPECT_THAT(As(static_cast<v1::ViewerRole>(99), {"xc"}, handling, false),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("viewer.role: 99")));
  EXPECT_THAT(As(v1::VIEWER_ROLE_UNSPECIFIED, {"xc"}, handling, false),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("viewer.role")));
  EXPECT_THAT(As(v1::VIEWER_ROLE_STATION_CHIEF, {"xc"}, static_cast<v1::AccessPurpose>(-3), false),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("viewer.purpose: -3")));
  EXPECT_THAT(As(v1::VIEWER_ROLE_STATION_CHIEF, {"xc"}, handling, false, ""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("viewer.member_id")));
  EXPECT_THAT(As(v1::VIEWER_ROLE_STATION_CHIEF, {"xc", "nowhere"}, handling, false),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("viewer.area_codes[1]")));
  EXPECT_THAT(As(v1::VIEWER_ROLE_GRID_WORKER, {}, handling, false),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("viewer.area_codes: empty")));
  EXPECT_THAT(As(v1::VIEWER_ROLE_DEPARTMENT, {}, handling, false, "desk",
                 static_cast<v1::Department>(1000)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("viewer.department: 1000")));
  EXPECT_THAT(CaseAccess::Open(nullptr, map_, v1::Viewer()),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
}

TEST_P(Access, ClearReadsExportsAndAuditReadsAreRecordedAndOnlyTheChiefReadsThem) {
  CaseAccess chief = Chief(true);
  ASSERT_OK(chief.Get("c1", kNow).status());
  ASSERT_OK(chief.Timeline("c2", kNow + absl::Seconds(1)).status());
  ASSERT_OK(Chief(false).Get("c3", kNow).status());  // masked: not recorded
  ASSERT_OK_AND_ASSIGN(CaseAccess mediator, As(v1::VIEWER_ROLE_MEDIATOR, {},
                                               v1::ACCESS_PURPOSE_CASE_HANDLING, true, "m-7"));
  ASSERT_OK(mediator.Get("c4", kNow + absl::Seconds(2)).status());
  EXPECT_THAT(mediator.Get("c1", kNow).status(),
              StatusIs(absl::StatusCode::kNotFound, ::testing::_));
  // Exports need the purpose, and are recorded masked or not.
  EXPECT_THAT(chief.Export({}, kNow),
              StatusIs(absl::StatusCode::kFailedPrecondition, ::testing::_));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Case> exported,
                       Chief(false, v1::ACCESS_PURPOSE_EXPORT).Export({}, kNow + absl::Seconds(3)));
  ASSERT_EQ(exported.size(), 5u);
  for (const v1::Case& c : exported) EXPECT_THAT(c.DebugString(), Not(HasSubstr(kPhone)));

  // Only the station chief reads the trail.
  EXPECT_THAT(mediator.AuditTrail({}, kNow),
              StatusIs(absl::StatusCode::kPermissionDenied, ::testing::_));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::AuditRecord> trail,
                       Chief().AuditTrail({}, kNow + absl::Seconds(4)));
  ASSERT_EQ(trail.size(), 4u);
  EXPECT_EQ(trail[0].seq(), 1);
  EXPECT_EQ(trail[0].action(), v1::AUDIT_ACTION_READ_UNMASKED);
  EXPECT_EQ(trail[0].viewer().member_id(), "m-chief");
  EXPECT_EQ(trail[0].viewer().role(), v1::VIEWER_ROLE_STATION_CHIEF);
  EXPECT_EQ(trail[0].viewer().purpose(), v1::ACCESS_PURPOSE_SUPERVISION);
  EXPECT_THAT(trail[0].case_ids(), ElementsAre("c1"));
  EXPECT_THAT(trail[1].case_ids(), ElementsAre("c2"));
  EXPECT_EQ(trail[2].viewer().member_id(), "m-7");
  EXPECT_EQ(trail[3].action(), v1::AUDIT_ACTION_EXPORT);
  EXPECT_FALSE(trail[3].unmasked());
  EXPECT_THAT(trail[3].case_ids(), UnorderedElementsAre("c1", "c2", "c3", "c4", "c5"));
  EXPECT_EQ(trail[3].at().seconds(), absl::ToUnixSeconds(kNow + absl::Seconds(3)));

  // Reading the trail was recorded too; queries select by viewer, case, action and time.
  AuditQuery reads;
  reads.action = v1::AUDIT_ACTION_READ_AUDIT;
  EXPECT_EQ(Chief().AuditTrail(reads, kNow + absl::Seconds(5))->size(), 1u);
  AuditQuery by_m7;
  by_m7.member_id = "m-7";
  EXPECT_EQ(Chief().AuditTrail(by_m7, kNow)->size(), 1u);
  AuditQuery c2;
  c2.case_id = "c2";
  ASSERT_OK_AND_ASSIGN(std::vector<v1::AuditRecord> about_c2, Chief().AuditTrail(c2, kNow));
  ASSERT_EQ(about_c2.size(), 2u);  // the clear timeline and the export
  EXPECT_EQ(about_c2[0].seq(), 2);
  AuditQuery window;
  window.since = kNow + absl::Seconds(1);
  window.until = kNow + absl::Seconds(3);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::AuditRecord> in_window, Chief().AuditTrail(window, kNow));
  ASSERT_EQ(in_window.size(), 2u);
  EXPECT_EQ(in_window[0].seq(), 2);
  EXPECT_EQ(in_window[1].seq(), 3);
  AuditQuery first;
  first.limit = 1;
  EXPECT_EQ(Chief().AuditTrail(first, kNow)->at(0).seq(), 1);
}

// A case with parties (person id, name, phone) of `kind`, reported at `at`.
CaseLoop PeopleCase(const std::string& id, v1::IncidentKind kind, absl::Time at,
                    const std::vector<int>& people, const std::string& grid = "xc-lc-c1-g1") {
  v1::Incident incident;
  incident.set_id(id);
  incident.set_grid_code(grid);
  incident.set_kind(kind);
  *incident.mutable_reported_at() = internal::ToTimestamp(at);
  std::string text = "双方争吵:";
  for (int person : people) {
    v1::Party* p = incident.add_parties();
    p->set_person_id(absl::StrCat("person-", person));
    p->set_name(absl::StrCat("当事人", person));
    p->set_phone(absl::StrCat(13900000000 + person));
    absl::StrAppend(&text, p->name(), " ", p->phone(), ";");
  }
  incident.set_description(text);
  return *CaseLoop::Open(incident, RoutedTo(v1::TIER_MEDIATOR), at, "110");
}

TEST_P(Access, ErasingAPersonRemovesThemEverywhereAndKeepsEveryMetric) {
  // A year-like random history: 300 cases, 30 people, disputes and crimes between the same
  // people (民转刑), some cases taken along the loop.
  std::mt19937_64 rng(7);
  std::vector<CaseLoop> history;
  absl::Time at = kOpenedAt;
  for (int i = 0; i < 300; ++i) {
    at += absl::Minutes(1 + rng() % 2000);
    std::vector<int> people;
    for (int k = 0, n = 1 + static_cast<int>(rng() % 3); k < n; ++k) {
      people.push_back(static_cast<int>(rng() % 30));
    }
    const v1::IncidentKind kind =
        rng() % 4 == 0 ? v1::INCIDENT_KIND_CRIMINAL : v1::INCIDENT_KIND_DISPUTE;
    history.push_back(PeopleCase(absl::StrCat("h", i), kind, at, people,
                                 rng() % 2 ? "xc-lc-c1-g1" : "xc-lc-c2-g1"));
    for (int step = 0, n = static_cast<int>(rng() % 10); step < n; ++step) {
      Advance(history.back(), at + absl::Minutes(step + 1), "m-1");
    }
  }
  for (const CaseLoop& c : history) ASSERT_OK(store_->Save({&c.proto()}, kOpenedAt));
  ASSERT_OK_AND_ASSIGN(CaseRecordTable before, ReadCaseRecords(*store_, *map_));
  ASSERT_FALSE(before.civil_to_criminal.empty()) << "the history has no 民转刑 to keep";

  ASSERT_OK_AND_ASSIGN(CaseAccess eraser, As(v1::VIEWER_ROLE_STATION_CHIEF, {"xc"},
                                             v1::ACCESS_PURPOSE_ERASURE, false, "m-chief"));
  std::set<std::string> erased_cases;
  for (int person : {3, 14, 25}) {  // 10% of the people
    ASSERT_OK_AND_ASSIGN(CaseAccess::Erasure e,
                         eraser.ErasePerson(absl::StrCat("person-", person), kNow));
    EXPECT_GT(e.parties, 0);
    erased_cases.insert(e.case_ids.begin(), e.case_ids.end());
  }
  ASSERT_OK_AND_ASSIGN(CaseRecordTable after, ReadCaseRecords(*store_, *map_));
  ASSERT_EQ(after.records.size(), before.records.size());
  EXPECT_EQ(after.case_ids, before.case_ids);
  for (size_t i = 0; i < before.records.size(); ++i) {
    const CaseRecord &b = before.records[i], &a = after.records[i];
    EXPECT_TRUE(a.reported_at == b.reported_at && a.area == b.area && a.kind == b.kind &&
                a.tier == b.tier && a.flags == b.flags && a.assign_s == b.assign_s &&
                a.accept_s == b.accept_s && a.contact_s == b.contact_s &&
                a.arrival_s == b.arrival_s && a.resolve_s == b.resolve_s)
        << before.case_ids[i];
  }
  ASSERT_EQ(after.civil_to_criminal.size(), before.civil_to_criminal.size());
  for (size_t i = 0; i < before.civil_to_criminal.size(); ++i) {
    EXPECT_EQ(after.civil_to_criminal[i].criminal_case_id,
              before.civil_to_criminal[i].criminal_case_id);
    EXPECT_EQ(after.civil_to_criminal[i].shared_parties,
              before.civil_to_criminal[i].shared_parties);
  }

  // Nothing of the erased people is left; everybody else is as they were.
  std::map<std::string, std::set<std::string>> pseudonyms;  // erased person -> ids in its place
  for (const CaseLoop& original : history) {
    ASSERT_OK_AND_ASSIGN(v1::Case c, store_->Get(original.id()));
    const std::string text = c.DebugString();
    for (int person : {3, 14, 25}) {
      EXPECT_THAT(text, Not(HasSubstr(absl::StrCat("当事人", person, " "))));
      EXPECT_THAT(text, Not(HasSubstr(absl::StrCat(13900000000 + person))));
      EXPECT_THAT(text, Not(HasSubstr(absl::StrCat("\"person-", person, "\""))));
    }
    bool involved = false;
    for (int k = 0; k < c.incident().parties_size(); ++k) {
      const v1::Party &now = c.incident().parties(k), &was = original.proto().incident().parties(k);
      if (absl::StartsWith(now.person_id(), "erased-")) {
        involved = true;
        EXPECT_TRUE(now.name().empty() && now.phone().empty());
        pseudonyms[was.person_id()].insert(now.person_id());
      } else {
        EXPECT_EQ(now.person_id(), was.person_id());
        EXPECT_EQ(now.name(), was.name());
      }
    }
    EXPECT_EQ(involved, erased_cases.count(c.id()) == 1) << c.id();
    if (!involved) {
      EXPECT_EQ(c.SerializeAsString(), original.proto().SerializeAsString());
    }
  }
  ASSERT_EQ(pseudonyms.size(), 3u);
  for (const auto& [person, ids] : pseudonyms) {
    EXPECT_EQ(ids.size(), 1u) << person << " has one pseudonym in every case";
  }

  // The erasures are in the audit trail.
  AuditQuery erasures;
  erasures.action = v1::AUDIT_ACTION_ERASE;
  ASSERT_OK_AND_ASSIGN(std::vector<v1::AuditRecord> trail, Chief().AuditTrail(erasures, kNow));
  ASSERT_EQ(trail.size(), 3u);
  int recorded = 0;
  for (const v1::AuditRecord& r : trail) {
    EXPECT_EQ(r.viewer().purpose(), v1::ACCESS_PURPOSE_ERASURE);
    recorded += r.case_ids_size();
    EXPECT_GE(r.parties_erased(), r.case_ids_size());
  }
  EXPECT_GE(recorded, static_cast<int>(erased_cases.size()));
}

TEST_P(Access, OnlyTheChiefErasesAndAStaleCopyCannotWriteErasedDataBack) {
  EXPECT_THAT(As(v1::VIEWER_ROLE_COMMUNITY_POLICE, {"xc"}, v1::ACCESS_PURPOSE_ERASURE, false),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("依法删除")));
  EXPECT_THAT(Chief().ErasePerson("p-c1", kNow),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("依法删除")));
  ASSERT_OK_AND_ASSIGN(CaseAccess eraser, As(v1::VIEWER_ROLE_STATION_CHIEF, {"xc"},
                                             v1::ACCESS_PURPOSE_ERASURE, false, "m-chief"));
  EXPECT_THAT(eraser.ErasePerson("", kNow), StatusIs(absl::StatusCode::kInvalidArgument, _));
  const std::vector<std::string> one_empty = {"p-c1", ""};
  EXPECT_THAT(eraser.ErasePeople(one_empty, kNow),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("person_ids[1]")));
  EXPECT_EQ(store_->Get("c1")->incident().parties(0).name(), kName) << "nothing half-erased";
  // The desk holds a copy of c2 read before the erasure.
  ASSERT_OK_AND_ASSIGN(v1::Case stored, store_->Get("c2"));
  ASSERT_OK_AND_ASSIGN(CaseLoop desk, CaseLoop::Restore(stored));
  ASSERT_OK_AND_ASSIGN(CaseAccess::Erasure e, eraser.ErasePerson("p-c2", kNow));
  EXPECT_THAT(e.case_ids, ElementsAre("c2"));
  EXPECT_EQ(e.parties, 1);
  // Its next save is refused (whether or not it adds events), so the name is not written back.
  EXPECT_THAT(store_->Save({&desk.proto()}, kNow),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("erased")));
  ASSERT_TRUE(Advance(desk, kNow, "m-police"));
  EXPECT_THAT(store_->Save({&desk.proto()}, kNow),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("erased")));
  ASSERT_OK_AND_ASSIGN(v1::Case now, store_->Get("c2"));
  EXPECT_THAT(now.DebugString(), Not(HasSubstr(kName)));
  EXPECT_THAT(now.DebugString(), Not(HasSubstr(kPhone)));
  // Reloaded, the desk goes on.
  ASSERT_OK_AND_ASSIGN(CaseLoop reloaded, CaseLoop::Restore(now));
  ASSERT_TRUE(Advance(reloaded, kNow, "m-police"));
  ASSERT_OK(store_->Save({&reloaded.proto()}, kNow));
  // An unknown person changes nothing, and is still recorded.
  ASSERT_OK_AND_ASSIGN(CaseAccess::Erasure none, eraser.ErasePerson("p-nobody", kNow));
  EXPECT_THAT(none.case_ids, IsEmpty());
  AuditQuery erasures;
  erasures.action = v1::AUDIT_ACTION_ERASE;
  EXPECT_EQ(Chief().AuditTrail(erasures, kNow)->size(), 2u);
}

TEST_P(Access, RetentionErasesClosedCasesReportedBeforeTheCutoffOnly) {
  // c1 closed long ago, c2 open long ago, c3 closed recently.
  CaseLoop old_closed = PeopleCase("r1", v1::INCIDENT_KIND_DISPUTE, kOpenedAt, {1, 2});
  CaseLoop old_open = PeopleCase("r2", v1::INCIDENT_KIND_DISPUTE, kOpenedAt, {1});
  CaseLoop recent =
      PeopleCase("r3", v1::INCIDENT_KIND_DISPUTE, kOpenedAt + absl::Hours(24 * 400), {1});
  while (Advance(old_closed, kOpenedAt + absl::Hours(1))) {
  }
  while (Advance(recent, kOpenedAt + absl::Hours(24 * 400 + 1))) {
  }
  ASSERT_OK(store_->Save({&old_closed.proto(), &old_open.proto(), &recent.proto()}, kNow));
  ASSERT_OK_AND_ASSIGN(CaseAccess eraser, As(v1::VIEWER_ROLE_STATION_CHIEF, {"xc"},
                                             v1::ACCESS_PURPOSE_ERASURE, false, "m-chief"));
  const absl::Time cutoff = kOpenedAt + absl::Hours(24 * 365);
  ASSERT_OK_AND_ASSIGN(CaseAccess::Erasure e, eraser.EraseClosedBefore(cutoff, kNow));
  EXPECT_THAT(e.case_ids, ElementsAre("r1"));
  EXPECT_EQ(e.parties, 2);
  ASSERT_OK_AND_ASSIGN(v1::Case r1, store_->Get("r1"));
  EXPECT_THAT(r1.DebugString(), Not(HasSubstr("当事人1 ")));
  EXPECT_THAT(r1.DebugString(), Not(HasSubstr("13900000002")));
  EXPECT_NE(r1.incident().parties(0).person_id(), r1.incident().parties(1).person_id());
  EXPECT_EQ(store_->Get("r2")->SerializeAsString(), old_open.proto().SerializeAsString());
  EXPECT_EQ(store_->Get("r3")->SerializeAsString(), recent.proto().SerializeAsString());
  // Erased once: a second pass finds nothing left.
  ASSERT_OK_AND_ASSIGN(CaseAccess::Erasure again, eraser.EraseClosedBefore(cutoff, kNow));
  EXPECT_THAT(again.case_ids, IsEmpty());
}

TEST(SqliteAccess, ClearReadsFromSeveralThreadsAreEachRecordedOnceInOneUnbrokenTrail) {
  const std::string path = FreshDbPath("audit-threads");
  auto map = *GridMap::Load(FENGQIAO_SOURCE_DIR "/examples/data/grid_map.textproto");
  ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(path));
  std::vector<CaseLoop> cases;
  for (int i = 0; i < 8; ++i) cases.push_back(PartyCase(absl::StrCat("c", i), "xc-lc-c1-g1", ""));
  for (const CaseLoop& c : cases) ASSERT_OK(store->Save({&c.proto()}, kOpenedAt));
  v1::Viewer chief = testing::SupervisingChief("xc", /*unmasked=*/true);
  ASSERT_OK_AND_ASSIGN(CaseAccess access, CaseAccess::Open(store.get(), map, chief));
  constexpr int kThreads = 4, kReads = 40;
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kReads; ++i) {
        if (!access.Get(absl::StrCat("c", (t + i) % 8), kNow).ok()) ++failed;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  chief.set_unmasked(false);
  ASSERT_OK_AND_ASSIGN(CaseAccess reader, CaseAccess::Open(store.get(), map, chief));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::AuditRecord> trail, reader.AuditTrail({}, kNow));
  ASSERT_EQ(trail.size(), static_cast<size_t>(kThreads * kReads));
  for (size_t i = 0; i < trail.size(); ++i) EXPECT_EQ(trail[i].seq(), static_cast<int64_t>(i + 1));
}

TEST(SqliteAccess, TheAuditTrailIsAppendOnlyAndAReadOnlyStoreGivesNoClearData) {
  const std::string path = FreshDbPath("audit");
  auto map = *GridMap::Load(FENGQIAO_SOURCE_DIR "/examples/data/grid_map.textproto");
  v1::Viewer chief = testing::SupervisingChief("xc", /*unmasked=*/true);
  {
    ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(path));
    CaseLoop c = PartyCase("c1", "xc-lc-c1-g1", "");
    ASSERT_OK(store->Save({&c.proto()}, kOpenedAt));
    ASSERT_OK_AND_ASSIGN(CaseAccess access, CaseAccess::Open(store.get(), map, chief));
    ASSERT_OK(access.Get("c1", kNow).status());
  }
  // Not even SQL run on the file changes or removes a record.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM audit", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE audit SET member = 'x'", nullptr, nullptr, nullptr),
            SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM audit_cases", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  // A read-only store cannot record a clear read, so it gives none; masked reads work.
  SqliteOptions read_only;
  read_only.read_only = true;
  ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(path, read_only));
  ASSERT_OK_AND_ASSIGN(CaseAccess clear, CaseAccess::Open(store.get(), map, chief));
  EXPECT_THAT(clear.Get("c1", kNow), StatusIs(absl::StatusCode::kFailedPrecondition,
                                              HasSubstr("audit trail cannot be written")));
  chief.set_unmasked(false);
  ASSERT_OK_AND_ASSIGN(CaseAccess masked, CaseAccess::Open(store.get(), map, chief));
  ASSERT_OK_AND_ASSIGN(v1::Case c, masked.Get("c1", kNow));
  EXPECT_THAT(c.DebugString(), Not(HasSubstr(kPhone)));
  chief.set_unmasked(true);
  ASSERT_OK_AND_ASSIGN(auto writable, SqliteCaseStore::Open(path));
  ASSERT_OK_AND_ASSIGN(CaseAccess again, CaseAccess::Open(writable.get(), map, chief));
  chief.set_unmasked(false);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::AuditRecord> trail, again.AuditTrail({}, kNow));
  ASSERT_EQ(trail.size(), 1u);
  EXPECT_THAT(trail[0].case_ids(), ElementsAre("c1"));
}

}  // namespace
}  // namespace fengqiao
