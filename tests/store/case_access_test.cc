// Who sees which case, masked how, and what the audit trail records: every test runs on both
// stores (memory and SQLite) through the public CaseAccess.
#include "fengqiao/store/case_access.h"

#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>

#include <sqlite3.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/store/memory_case_store.h"
#include "fengqiao/store/sqlite_case_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/cases.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::Advance;
using ::fengqiao::testing::kOpenedAt;
using ::fengqiao::testing::RoutedTo;
using ::fengqiao::testing::StatusIs;
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
      path_ = absl::StrCat(::testing::TempDir(), "/access-", getpid(), ".db");
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
      store_ = *SqliteCaseStore::Open(path_);
    }
    // c1, c2 in grid g1 of community c1; c3 in c2's grid g1; c4 held by mediator m-7 in another
    // street; c5 diverted to city management.
    cases_.push_back(PartyCase("c1", "xc-lc-c1-g1", ""));
    cases_.push_back(PartyCase("c2", "xc-lc-c1-g1", "m-police"));
    cases_.push_back(PartyCase("c3", "xc-lc-c2-g1", ""));
    cases_.push_back(PartyCase("c4", "xc-cz-c1-g1", "m-7"));
    cases_.push_back(PartyCase("c5", "xc-cz-c1-g1", "", v1::DEPARTMENT_CITY_MANAGEMENT));
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
  EXPECT_THAT(*As(v1::VIEWER_ROLE_STATION_CHIEF, {"xc-lc-c2", "xc-cz"}, handling, false)->Find(two),
              ElementsAre("c3", "c4"));
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

TEST(SqliteAccess, TheAuditTrailIsAppendOnlyAndAReadOnlyStoreGivesNoClearData) {
  const std::string path = absl::StrCat(::testing::TempDir(), "/audit-", getpid(), ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  auto map = *GridMap::Load(FENGQIAO_SOURCE_DIR "/examples/data/grid_map.textproto");
  v1::Viewer chief;
  chief.set_member_id("m-chief");
  chief.set_role(v1::VIEWER_ROLE_STATION_CHIEF);
  chief.add_area_codes("xc");
  chief.set_purpose(v1::ACCESS_PURPOSE_SUPERVISION);
  chief.set_unmasked(true);
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
