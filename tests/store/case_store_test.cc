#include "fengqiao/store/case_store.h"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include <sqlite3.h>

#include "absl/strings/match.h"
#include "fengqiao/store/memory_case_store.h"
#include "fengqiao/store/sqlite_case_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/cases.h"
#include "testing/fresh_db.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::Advance;
using ::fengqiao::testing::FreshDbPath;
using ::fengqiao::testing::kOpenedAt;
using ::fengqiao::testing::OpenCase;
using ::fengqiao::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The time of every save in these tests (the store reads no clock).
const absl::Time kNow = kOpenedAt + absl::Hours(1);

// CaseQuery with chained setters, to keep the tests short.
struct Q : CaseQuery {
  Q& State(v1::CaseState s) {
    state = s;
    return *this;
  }
  Q& Grid(const std::string& g) {
    grid_code = g;
    return *this;
  }
  Q& Tier(v1::Tier t) {
    tier = t;
    return *this;
  }
  Q& Assignee(const std::string& a) {
    assignee = a;
    return *this;
  }
  Q& OverdueAt(absl::Time t) {
    overdue_at = t;
    return *this;
  }
  Q& SavedSince(absl::Time t) {
    saved_since = t;
    return *this;
  }
  Q& Limit(int n) {
    limit = n;
    return *this;
  }
};

// The same behaviour from both stores.
class Stores : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "memory") {
      store_ = std::make_unique<MemoryCaseStore>();
    } else {
      ASSERT_OK_AND_ASSIGN(store_, SqliteCaseStore::Open(FreshDbPath("stores")));
    }
  }
  std::unique_ptr<CaseStore> store_;
};

TEST_P(Stores, SavedCaseComesBackWithItsWholeTimeline) {
  CaseLoop loop = OpenCase("c1");
  ASSERT_OK(store_->Save({&loop.proto()}, kNow));
  Advance(loop, kOpenedAt + absl::Seconds(30));
  Advance(loop, kOpenedAt + absl::Seconds(50));
  ASSERT_OK(store_->Save({&loop.proto()}, kNow));
  ASSERT_OK_AND_ASSIGN(v1::Case got, store_->Get("c1"));
  EXPECT_EQ(got.SerializeAsString(), loop.proto().SerializeAsString());
  ASSERT_OK_AND_ASSIGN(auto timeline, store_->Timeline("c1"));
  ASSERT_EQ(timeline.size(), 4u);
  EXPECT_EQ(timeline[3].type(), v1::CASE_EVENT_TYPE_ACCEPT);
  ASSERT_OK_AND_ASSIGN(CaseLoop restored, CaseLoop::Restore(got));
  EXPECT_EQ(restored.state(), loop.state());
  EXPECT_THAT(store_->Get("nope"), StatusIs(absl::StatusCode::kNotFound, HasSubstr("nope")));
  ASSERT_OK_AND_ASSIGN(int64_t events, store_->CountEvents());
  EXPECT_EQ(events, 4);
}

TEST_P(Stores, QueriesByStateGridTierAssigneeAndOverdue) {
  CaseLoop a = OpenCase("a", "g11", v1::TIER_MEDIATOR);
  CaseLoop b = OpenCase("b", "g12", v1::TIER_COMMUNITY_POLICE);
  CaseLoop c = OpenCase("c", "g11", v1::TIER_JOINT_MEDIATION);
  Advance(a, kOpenedAt + absl::Seconds(10), "m-7");  // assigned
  Advance(a, kOpenedAt + absl::Seconds(20), "m-7");  // accepted in time
  Advance(b, kOpenedAt + absl::Seconds(10), "m-8");  // assigned, never accepted
  ASSERT_OK(store_->Save({&a.proto(), &b.proto(), &c.proto()}, kNow));
  EXPECT_THAT(*store_->Find(Q().State(v1::CASE_STATE_ASSIGNED)), ElementsAre("b"));
  EXPECT_THAT(*store_->Find(Q().Grid("g11")), ElementsAre("a", "c"));
  EXPECT_THAT(*store_->Find(Q().Tier(v1::TIER_JOINT_MEDIATION)), ElementsAre("c"));
  EXPECT_THAT(*store_->Find(Q().Assignee("m-7")), ElementsAre("a"));
  // 2 minutes in: b missed the 1-minute accept of its instruction; a's next deadline (contact,
  // 3 min) is ahead; c, never instructed, has no clock yet (clocks run from the instruction).
  EXPECT_THAT(*store_->Find(Q().OverdueAt(kOpenedAt + absl::Seconds(120))), ElementsAre("b"));
  EXPECT_THAT(*store_->Find(Q().OverdueAt(kOpenedAt + absl::Seconds(30))), IsEmpty());
  EXPECT_THAT(*store_->Find(Q().Grid("g11").Limit(1)), ElementsAre("a"));
}

TEST_P(Stores, APausedCaseIsNotOverdueUntilItResumesAsTheLoopSays) {
  CaseLoop loop = OpenCase("p");
  Advance(loop, kOpenedAt + absl::Seconds(10), "m-7");  // assigned: accept within a minute
  v1::CaseEvent pause = MakeEvent(v1::CASE_EVENT_TYPE_PAUSE, kOpenedAt + absl::Seconds(20), "m-7");
  pause.set_reason("等待当事人 (waiting for the party)");
  ASSERT_OK(loop.Record(pause));
  ASSERT_OK(store_->Save({&loop.proto()}, kNow));
  const absl::Time later = kOpenedAt + absl::Hours(5);
  EXPECT_THAT(loop.Overdue(later), IsEmpty());
  EXPECT_THAT(*store_->Find(Q().OverdueAt(later)), IsEmpty());
  // Resumed an hour in: the accept clock moved by the pause and falls due again.
  ASSERT_OK(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_RESUME, kOpenedAt + absl::Hours(1), "m-7")));
  ASSERT_OK(store_->Save({&loop.proto()}, kNow));
  EXPECT_FALSE(loop.Overdue(later).empty());
  EXPECT_THAT(*store_->Find(Q().OverdueAt(later)), ElementsAre("p"));
}

TEST_P(Stores, ClosedCasesAreNeverOverdue) {
  CaseLoop loop = OpenCase("done");
  while (Advance(loop, kOpenedAt + absl::Seconds(loop.proto().events_size() * 10))) {
  }
  ASSERT_EQ(loop.state().state, v1::CASE_STATE_CLOSED);
  ASSERT_OK(store_->Save({&loop.proto()}, kNow));
  EXPECT_THAT(*store_->Find(Q().OverdueAt(kOpenedAt + absl::Hours(24 * 365))), IsEmpty());
  EXPECT_THAT(*store_->Find(Q().State(v1::CASE_STATE_CLOSED)), ElementsAre("done"));
}

TEST_P(Stores, AStaleCopyOrABrokenLogIsRefusedAndNothingOfTheBatchIsWritten) {
  CaseLoop loop = OpenCase("c1");
  Advance(loop, kOpenedAt + absl::Seconds(10));
  ASSERT_OK(store_->Save({&loop.proto()}, kNow));
  CaseLoop stale = OpenCase("c1");  // only REPORT and TRIAGE
  CaseLoop other = OpenCase("c2");
  EXPECT_THAT(store_->Save({&other.proto(), &stale.proto()}, kNow),
              StatusIs(absl::StatusCode::kAborted,
                       AllOf(HasSubstr("\"c1\""), HasSubstr("stale"), HasSubstr("read at seq 2"),
                             HasSubstr("store holds seq 3"))));
  EXPECT_THAT(store_->Get("c2"), StatusIs(absl::StatusCode::kNotFound, HasSubstr("c2")));
  v1::Case broken = loop.proto();
  broken.mutable_events(1)->set_seq(7);
  EXPECT_THAT(store_->Save({&broken}, kNow),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("event 2 has seq 7")));
}

// The lost update of issue 10: two writers read the same case and each appends its own event.
TEST_P(Stores, TheSecondOfTwoWritersOfOneCaseIsAbortedAndSucceedsAfterReloading) {
  CaseLoop opened = OpenCase("c1");
  Advance(opened, kOpenedAt + absl::Seconds(10), "m-1");  // assigned
  ASSERT_OK(store_->Save({&opened.proto()}, kNow));
  ASSERT_OK_AND_ASSIGN(CaseLoop a, CaseLoop::Restore(*store_->Get("c1")));
  ASSERT_OK_AND_ASSIGN(CaseLoop b, CaseLoop::Restore(*store_->Get("c1")));
  ASSERT_OK(a.Record(MakeEvent(v1::CASE_EVENT_TYPE_ACCEPT, kOpenedAt + absl::Seconds(20), "m-1")));
  v1::CaseEvent back = MakeEvent(v1::CASE_EVENT_TYPE_RETURN, kOpenedAt + absl::Seconds(25), "m-1");
  back.set_reason("not ours");
  back.set_should_go_to(v1::DEPARTMENT_COMMUNITY);  // a return names who should take it
  ASSERT_OK(b.Record(back));
  ASSERT_OK(store_->Save({&a.proto()}, kNow));
  EXPECT_THAT(
      store_->Save({&b.proto()}, kNow),
      StatusIs(absl::StatusCode::kAborted, AllOf(HasSubstr("\"c1\""), HasSubstr("read at seq 3"),
                                                 HasSubstr("store holds seq 4"))));
  // What the store holds is A's save, whole: the header is what the log replays to.
  ASSERT_OK_AND_ASSIGN(v1::Case stored, store_->Get("c1"));
  EXPECT_EQ(stored.SerializeAsString(), a.proto().SerializeAsString());
  // B reloads, finds the case accepted, records what still applies, and saves.
  ASSERT_OK_AND_ASSIGN(CaseLoop b2, CaseLoop::Restore(stored));
  ASSERT_OK(
      b2.Record(MakeEvent(v1::CASE_EVENT_TYPE_CONTACT, kOpenedAt + absl::Seconds(30), "m-1")));
  ASSERT_OK(store_->Save({&b2.proto()}, kNow));
  ASSERT_OK_AND_ASSIGN(v1::Case after, store_->Get("c1"));
  ASSERT_OK_AND_ASSIGN(CaseLoop replayed, CaseLoop::Restore(after));
  EXPECT_EQ(replayed.state().state, after.state());
  EXPECT_EQ(after.events_size(), 5);
  EXPECT_EQ(after.events(3).type(), v1::CASE_EVENT_TYPE_ACCEPT);
}

// The other face of the lost update: the first writer adds more events than the second.
TEST_P(Stores, AWriterBehindALongerConcurrentSaveIsAbortedAndTheLogStillReplays) {
  CaseLoop opened = OpenCase("c1");
  ASSERT_OK(store_->Save({&opened.proto()}, kNow));
  CaseLoop a = opened, b = opened;
  Advance(a, kOpenedAt + absl::Seconds(10), "m-1");
  Advance(a, kOpenedAt + absl::Seconds(20), "m-1");
  Advance(a, kOpenedAt + absl::Seconds(30), "m-1");
  Advance(b, kOpenedAt + absl::Seconds(15), "m-2");
  ASSERT_OK(store_->Save({&a.proto()}, kNow));
  EXPECT_THAT(store_->Save({&b.proto()}, kNow),
              StatusIs(absl::StatusCode::kAborted,
                       AllOf(HasSubstr("read at seq 2"), HasSubstr("store holds seq 5"))));
  ASSERT_OK_AND_ASSIGN(v1::Case stored, store_->Get("c1"));
  EXPECT_OK(CaseLoop::Restore(stored).status());
  EXPECT_EQ(stored.assignee(), "m-1");
  EXPECT_EQ(*store_->CountEvents(), 5);
}

TEST_P(Stores, SavingTheSameCopyAgainChangesNothingAndIsAccepted) {
  CaseLoop loop = OpenCase("c1");
  Advance(loop, kOpenedAt + absl::Seconds(10));
  ASSERT_OK(store_->Save({&loop.proto()}, kNow));
  ASSERT_OK(store_->Save({&loop.proto()}, kNow));
  EXPECT_EQ(*store_->CountEvents(), 3);
  // One call may carry a case twice; the second copy must extend the first.
  CaseLoop later = loop;
  Advance(later, kOpenedAt + absl::Seconds(20));
  ASSERT_OK(store_->Save({&loop.proto(), &later.proto()}, kNow));
  EXPECT_EQ(*store_->CountEvents(), 4);
  CaseLoop fork = loop;
  Advance(fork, kOpenedAt + absl::Seconds(20), "m-9");
  CaseLoop fork_later = fork;
  Advance(fork_later, kOpenedAt + absl::Seconds(40), "m-9");
  EXPECT_THAT(store_->Save({&fork_later.proto(), &later.proto()}, kNow),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("store holds seq 4")));
}

TEST_P(Stores, ALogThatDoesNotReplayOrAHeaderThatDisagreesIsRefused) {
  CaseLoop loop = OpenCase("c1");
  Advance(loop, kOpenedAt + absl::Seconds(10));
  v1::Case wrong_header = loop.proto();
  wrong_header.set_state(v1::CASE_STATE_CLOSED);
  EXPECT_THAT(store_->Save({&wrong_header}, kNow),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("\"c1\""), HasSubstr("header says"))));
  v1::Case skipped = loop.proto();
  skipped.mutable_events(2)->set_type(v1::CASE_EVENT_TYPE_CLOSE);  // CLOSE right after TRIAGE
  EXPECT_THAT(store_->Save({&skipped}, kNow),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("does not replay")));
  v1::Case no_id = loop.proto();
  no_id.clear_id();
  EXPECT_THAT(store_->Save({&no_id}, kNow),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no id")));
  EXPECT_EQ(*store_->CountCases(), 0);
}

// The store reads no clock: a case carries the time of the save that last changed it.
TEST_P(Stores, SavedSinceSelectsTheCasesSavedAtOrAfterTheCallersTime) {
  const absl::Time t1 = kOpenedAt + absl::Minutes(5);
  const absl::Time t2 = kOpenedAt + absl::Minutes(9);
  CaseLoop a = OpenCase("a"), b = OpenCase("b");
  ASSERT_OK(store_->Save({&a.proto(), &b.proto()}, t1));
  Advance(b, kOpenedAt + absl::Seconds(30));
  ASSERT_OK(store_->Save({&b.proto()}, t2));
  EXPECT_THAT(*store_->Find(Q().SavedSince(t1)), ElementsAre("a", "b"));
  EXPECT_THAT(*store_->Find(Q().SavedSince(t1 + absl::Seconds(1))), ElementsAre("b"));
  EXPECT_THAT(*store_->Find(Q().SavedSince(t2)), ElementsAre("b"));
  // To the second: 0.9 s after t2 still selects b, 1 s after does not.
  EXPECT_THAT(*store_->Find(Q().SavedSince(t2 + absl::Milliseconds(900))), ElementsAre("b"));
  EXPECT_THAT(*store_->Find(Q().SavedSince(t2 + absl::Seconds(1))), IsEmpty());
}

// A district that allows four returns before arbitration records a third return as RETURNED;
// under the default two it would be arbitrated, so the log replays only under the district's own
// rules: a store opened with them takes it, a store with the defaults refuses it.
TEST_P(Stores, LogsAreReplayedUnderTheRulesTheDistrictRecordsThemUnder) {
  auto district = std::make_shared<CaseLoopOptions>();
  district->max_returns = 4;
  v1::Incident incident;
  incident.set_id("r3");
  ASSERT_OK_AND_ASSIGN(CaseLoop loop,
                       CaseLoop::Open(incident, testing::RoutedTo(v1::TIER_DEPARTMENT_DIVERSION),
                                      kOpenedAt, "12345", *district));
  absl::Time t = kOpenedAt;
  v1::CaseEvent assign = MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, t, "desk");
  assign.set_department(v1::DEPARTMENT_HOUSING_CONSTRUCTION);
  ASSERT_OK(loop.Record(assign));
  for (int i = 0; i < 3; ++i) {
    v1::CaseEvent ret = MakeEvent(v1::CASE_EVENT_TYPE_RETURN, t += absl::Minutes(5), "dept");
    ret.set_reason("不属本部门职责");
    ret.set_refused_by(v1::DEPARTMENT_HOUSING_CONSTRUCTION);
    ret.set_should_go_to(v1::DEPARTMENT_CITY_MANAGEMENT);
    ASSERT_OK(loop.Record(ret));
    v1::CaseEvent review =
        MakeEvent(v1::CASE_EVENT_TYPE_REJECT_RETURN, t += absl::Minutes(5), "room");
    review.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
    review.set_reason("职责清单属本部门");
    ASSERT_OK(loop.Record(review));
  }
  std::unique_ptr<CaseStore> with_rules;
  if (GetParam() == "memory") {
    with_rules = std::make_unique<MemoryCaseStore>(district);
  } else {
    SqliteOptions options;
    options.loop_options = district;
    ASSERT_OK_AND_ASSIGN(with_rules, SqliteCaseStore::Open(FreshDbPath("rules"), options));
  }
  EXPECT_THAT(store_->Save({&loop.proto()}, kNow),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("does not replay")));
  ASSERT_OK(with_rules->Save({&loop.proto()}, kNow));
  EXPECT_EQ(*with_rules->CountCases(), 1);
}

INSTANTIATE_TEST_SUITE_P(Kinds, Stores, ::testing::Values("memory", "sqlite"));

TEST(SqliteCaseStore, ReopeningFindsEverythingAndTheSchemaIsCurrent) {
  const std::string path = FreshDbPath("reopen");
  {
    ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(path));
    CaseLoop loop = OpenCase("c1");
    Advance(loop, kOpenedAt + absl::Seconds(10));
    ASSERT_OK(store->Save({&loop.proto()}, kNow));
  }
  ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(path));
  EXPECT_EQ(*store->SchemaVersion(), SqliteCaseStore::kSchemaVersion);
  ASSERT_OK_AND_ASSIGN(v1::Case c, store->Get("c1"));
  EXPECT_EQ(c.events_size(), 3);
  EXPECT_OK(store->IntegrityCheck());
}

TEST(SqliteCaseStore, AVersionOneFileIsMigratedWithItsData) {
  const std::string path = FreshDbPath("migrate");
  {
    // What the first release wrote: schema 1 only, with a case in it.
    ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(path));
    CaseLoop before = OpenCase("before-migration");
    ASSERT_OK(store->Save({&before.proto()}, kNow));
  }
  {
    // Roll the file back to schema 1 by hand and put a case in it.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "DROP TABLE encryption; DROP TABLE audit_cases; DROP TABLE audit; "
                           "DROP INDEX cases_tier; DROP INDEX cases_assignee; DROP INDEX "
                           "cases_next_due; ALTER TABLE cases DROP COLUMN updated_at; "
                           "ALTER TABLE cases DROP COLUMN incident_digest; "
                           "PRAGMA user_version=1;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  // A read-only open does not migrate: it refuses, and changes nothing.
  SqliteOptions read_only;
  read_only.read_only = true;
  EXPECT_THAT(SqliteCaseStore::Open(path, read_only),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("needs migrating")));
  ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(path));
  EXPECT_EQ(*store->SchemaVersion(), SqliteCaseStore::kSchemaVersion);
  CaseLoop loop = OpenCase("after-migration");
  ASSERT_OK(store->Save({&loop.proto()}, kNow));
  EXPECT_THAT(*store->Find(Q().Tier(v1::TIER_MEDIATOR)),
              ElementsAre("after-migration", "before-migration"));
  // A case stored before the migration (no incident digest) is saved on as usual, and a copy
  // with another incident is still refused.
  ASSERT_OK_AND_ASSIGN(v1::Case stored, store->Get("before-migration"));
  ASSERT_OK_AND_ASSIGN(CaseLoop old, CaseLoop::Restore(stored));
  ASSERT_TRUE(Advance(old, kNow));
  v1::Case changed = old.proto();
  changed.mutable_incident()->set_description("another incident");
  EXPECT_THAT(store->Save({&changed}, kNow),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("rewritten")));
  ASSERT_OK(store->Save({&old.proto()}, kNow));
}

TEST(SqliteCaseStore, AFileFromANewerVersionIsRefused) {
  const std::string path = FreshDbPath("newer");
  { ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(path)); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version=99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  EXPECT_THAT(SqliteCaseStore::Open(path),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::AllOf(HasSubstr(path), HasSubstr("schema version 99"))));
}

TEST(SqliteCaseStore, EmptyAndInMemoryPathsAreRefusedBecauseNothingWouldBeDurable) {
  for (const char* path : {"", ":memory:"}) {
    EXPECT_THAT(SqliteCaseStore::Open(path),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("durable")))
        << path;
  }
}

std::string Bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(SqliteCaseStore, AFileFromANewerVersionIsRefusedBeforeAnythingInItChanges) {
  const std::string path = FreshDbPath("newer-untouched");
  {
    ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(path));
    CaseLoop loop = OpenCase("c1");
    ASSERT_OK(store->Save({&loop.proto()}, kNow));
  }
  // What a newer release might leave: another schema version, a rollback journal (not WAL).
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const std::string newer = std::to_string(SqliteCaseStore::kSchemaVersion + 1);
  ASSERT_EQ(sqlite3_exec(db, ("PRAGMA journal_mode=DELETE; PRAGMA user_version=" + newer).c_str(),
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  const std::string before = Bytes(path);
  ASSERT_FALSE(before.empty());
  EXPECT_THAT(SqliteCaseStore::Open(path),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr(path), HasSubstr("schema version " + newer))));
  SqliteOptions read_only;
  read_only.read_only = true;
  EXPECT_THAT(
      SqliteCaseStore::Open(path, read_only),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("schema version " + newer)));
  EXPECT_EQ(Bytes(path), before) << "the refused open changed the file";
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
}

// Runs `check` as an unprivileged user when the test runs as root (root ignores file modes);
// returns what failed, empty when everything held.
std::string RunWithoutPrivileges(const std::function<std::string()>& check) {
  if (geteuid() != 0) return check();
  int fds[2];
  if (pipe(fds) != 0) return "pipe failed";
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    std::string failure = (setgid(65534) == 0 && setuid(65534) == 0) ? check() : "setuid failed";
    if (failure.empty() && access("/", W_OK) == 0) failure = "still privileged";
    (void)!write(fds[1], failure.data(), failure.size());
    _exit(0);
  }
  close(fds[1]);
  std::string failure;
  char buffer[512];
  ssize_t n;
  while ((n = read(fds[0], buffer, sizeof(buffer))) > 0) failure.append(buffer, n);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status)) failure += " (the check crashed)";
  return failure;
}

std::string Describe(const absl::Status& s) { return std::string(s.ToString()); }

TEST(SqliteCaseStore, AReadOnlyFileInAReadOnlyFolderOpensReadOnlyForMetrics) {
  const std::string dir = absl::StrCat(::testing::TempDir(), "/ro-", getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/cases.db";
  {
    ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(path));
    CaseLoop a = OpenCase("a"), b = OpenCase("b", "g12");
    Advance(a, kOpenedAt + absl::Seconds(10));
    ASSERT_OK(store->Save({&a.proto(), &b.proto()}, kNow));
  }
  ASSERT_FALSE(std::filesystem::exists(path + "-wal"));  // a clean close folds the WAL in
  const std::string before = Bytes(path);
  std::filesystem::permissions(path, std::filesystem::perms::owner_read |
                                         std::filesystem::perms::group_read |
                                         std::filesystem::perms::others_read);
  std::filesystem::permissions(
      dir, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec |
               std::filesystem::perms::group_read | std::filesystem::perms::group_exec |
               std::filesystem::perms::others_read | std::filesystem::perms::others_exec);
  const std::string failure = RunWithoutPrivileges([&]() -> std::string {
    absl::StatusOr<std::unique_ptr<SqliteCaseStore>> writable = SqliteCaseStore::Open(path);
    if (writable.ok()) return "a read-write open of a read-only file succeeded";
    SqliteOptions options;
    options.read_only = true;
    absl::StatusOr<std::unique_ptr<SqliteCaseStore>> store = SqliteCaseStore::Open(path, options);
    if (!store.ok()) return "read-only open: " + Describe(store.status());
    absl::StatusOr<v1::Case> a = (*store)->Get("a");
    if (!a.ok() || a->events_size() != 3) return "Get: " + Describe(a.status());
    absl::StatusOr<std::vector<std::string>> ids = (*store)->Find(CaseQuery());
    if (!ids.ok() || *ids != std::vector<std::string>{"a", "b"}) return "Find";
    absl::StatusOr<int64_t> events = (*store)->CountEvents();
    if (!events.ok() || *events != 5) return "CountEvents: " + Describe(events.status());
    if (!(*store)->IntegrityCheck().ok()) return "IntegrityCheck";
    CaseLoop c = OpenCase("c");
    absl::Status saved = (*store)->Save({&c.proto()}, kNow);
    if (!absl::IsFailedPrecondition(saved) || !absl::StrContains(saved.message(), "read-only")) {
      return "Save on a read-only store: " + Describe(saved);
    }
    return "";
  });
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all);
  EXPECT_EQ(failure, "");
  EXPECT_EQ(Bytes(path), before) << "the read-only open changed the file";
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    EXPECT_FALSE(std::filesystem::exists(path + suffix)) << suffix;
  }
  std::filesystem::remove_all(dir);
}

TEST(SqliteCaseStore, AReadOnlyOpenBesideAWriterSeesItsSavesAndRefusesMissingOrOldFiles) {
  const std::string path = FreshDbPath("ro-beside");
  ASSERT_OK_AND_ASSIGN(auto writer, SqliteCaseStore::Open(path));
  CaseLoop a = OpenCase("a");
  ASSERT_OK(writer->Save({&a.proto()}, kNow));
  SqliteOptions options;
  options.read_only = true;
  ASSERT_OK_AND_ASSIGN(auto reader, SqliteCaseStore::Open(path, options));
  EXPECT_THAT(*reader->Find(CaseQuery()), ElementsAre("a"));
  CaseLoop b = OpenCase("b");
  ASSERT_OK(writer->Save({&b.proto()}, kNow));
  EXPECT_THAT(*reader->Find(CaseQuery()), ElementsAre("a", "b"));
  EXPECT_THAT(SqliteCaseStore::Open(path + ".missing", options),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(".missing")));
  EXPECT_FALSE(std::filesystem::exists(path + ".missing"));
}

// An event stored with its fields in another order (another build, another protobuf) is still
// the same event: not a conflict.
TEST(SqliteCaseStore, AStoredEventWrittenInAnotherFieldOrderIsTheSameEvent) {
  const std::string path = FreshDbPath("field-order");
  CaseLoop loop = OpenCase("c1");
  {
    ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(path));
    ASSERT_OK(store->Save({&loop.proto()}, kNow));
  }
  v1::CaseEvent first = loop.proto().events(0);
  v1::CaseEvent tail;
  *tail.mutable_case_id() = first.case_id();
  first.clear_case_id();
  const std::string reordered = first.SerializeAsString() + tail.SerializeAsString();
  ASSERT_NE(reordered, loop.proto().events(0).SerializeAsString());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* update = nullptr;
  ASSERT_EQ(
      sqlite3_prepare_v2(db, "UPDATE events SET body = ? WHERE seq = 1", -1, &update, nullptr),
      SQLITE_OK);
  sqlite3_bind_blob(update, 1, reordered.data(), static_cast<int>(reordered.size()),
                    SQLITE_TRANSIENT);
  ASSERT_EQ(sqlite3_step(update), SQLITE_DONE);
  sqlite3_finalize(update);
  sqlite3_close(db);
  ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(path));
  Advance(loop, kOpenedAt + absl::Seconds(10));
  EXPECT_OK(store->Save({&loop.proto()}, kNow));
  EXPECT_EQ(*store->CountEvents(), 3);
}

TEST(SqliteCaseStore, NotADatabaseIsDataLossNamingThePath) {
  const std::string path = FreshDbPath("garbage");
  std::ofstream(path) << "this is not an SQLite file, it is a note about 枫桥经验\n";
  EXPECT_THAT(SqliteCaseStore::Open(path), StatusIs(absl::StatusCode::kDataLoss, HasSubstr(path)));
}

// Readers run beside the writer and always see whole cases.
TEST(SqliteCaseStore, ConcurrentReadersSeeWholeCasesWhileOneWriterAppends) {
  ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(FreshDbPath("concurrent")));
  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, bad{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      while (!done.load()) {
        absl::StatusOr<std::vector<std::string>> ids = store->Find(Q().Limit(20));
        if (!ids.ok()) {
          ++bad;
          continue;
        }
        for (const std::string& id : *ids) {
          absl::StatusOr<v1::Case> c = store->Get(id);
          if (!c.ok() || !CaseLoop::Restore(*c).ok() || c->events_size() == 0 ||
              c->events().rbegin()->to_state() != c->state()) {
            ++bad;
          }
          ++reads;
        }
      }
    });
  }
  std::vector<CaseLoop> loops;
  for (int i = 0; i < 20; ++i) loops.push_back(OpenCase(absl::StrCat("c", i)));
  for (int round = 0; round < 10; ++round) {
    std::vector<const v1::Case*> batch;
    for (CaseLoop& loop : loops) {
      Advance(loop, kOpenedAt + absl::Seconds(10 * (round + 1)));
      batch.push_back(&loop.proto());
    }
    ASSERT_OK(store->Save(batch, kNow));
    // The readers overlap the appends: the rest wait until they have read the first round (a
    // fast writer on a loaded machine would otherwise finish before a reader starts).
    for (const absl::Time give_up = absl::Now() + absl::Seconds(30);
         round == 0 && reads.load() == 0 && absl::Now() < give_up;) {
      std::this_thread::yield();
    }
  }
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(reads.load(), 0);
}

}  // namespace
}  // namespace fengqiao
