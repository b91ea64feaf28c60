#include "fengqiao/store/case_store.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include <sqlite3.h>

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
using ::fengqiao::testing::OpenCase;
using ::fengqiao::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

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
  Q& Limit(int n) {
    limit = n;
    return *this;
  }
};

std::string FreshPath(const std::string& name) {
  const std::string path = absl::StrCat(::testing::TempDir(), "/", name, "-", getpid(), ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return path;
}

// The same behaviour from both stores.
class Stores : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "memory") {
      store_ = std::make_unique<MemoryCaseStore>();
    } else {
      ASSERT_OK_AND_ASSIGN(store_, SqliteCaseStore::Open(FreshPath("stores")));
    }
  }
  std::unique_ptr<CaseStore> store_;
};

TEST_P(Stores, SavedCaseComesBackWithItsWholeTimeline) {
  CaseLoop loop = OpenCase("c1");
  ASSERT_OK(store_->Save({&loop.proto()}));
  Advance(loop, kOpenedAt + absl::Seconds(30));
  Advance(loop, kOpenedAt + absl::Seconds(50));
  ASSERT_OK(store_->Save({&loop.proto()}));
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
  ASSERT_OK(store_->Save({&a.proto(), &b.proto(), &c.proto()}));
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

TEST_P(Stores, ClosedCasesAreNeverOverdue) {
  CaseLoop loop = OpenCase("done");
  while (Advance(loop, kOpenedAt + absl::Seconds(loop.proto().events_size() * 10))) {
  }
  ASSERT_EQ(loop.state().state, v1::CASE_STATE_CLOSED);
  ASSERT_OK(store_->Save({&loop.proto()}));
  EXPECT_THAT(*store_->Find(Q().OverdueAt(kOpenedAt + absl::Hours(24 * 365))), IsEmpty());
  EXPECT_THAT(*store_->Find(Q().State(v1::CASE_STATE_CLOSED)), ElementsAre("done"));
}

TEST_P(Stores, AStaleCopyOrABrokenLogIsRefusedAndNothingOfTheBatchIsWritten) {
  CaseLoop loop = OpenCase("c1");
  Advance(loop, kOpenedAt + absl::Seconds(10));
  ASSERT_OK(store_->Save({&loop.proto()}));
  CaseLoop stale = OpenCase("c1");  // only REPORT and TRIAGE
  CaseLoop other = OpenCase("c2");
  EXPECT_THAT(store_->Save({&other.proto(), &stale.proto()}),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("stale")));
  EXPECT_THAT(store_->Get("c2"), StatusIs(absl::StatusCode::kNotFound, HasSubstr("c2")));
  v1::Case broken = loop.proto();
  broken.mutable_events(1)->set_seq(7);
  EXPECT_THAT(store_->Save({&broken}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("event 2 has seq 7")));
}

INSTANTIATE_TEST_SUITE_P(Kinds, Stores, ::testing::Values("memory", "sqlite"));

TEST(SqliteCaseStore, ReopeningFindsEverythingAndTheSchemaIsCurrent) {
  const std::string path = FreshPath("reopen");
  {
    ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(path));
    CaseLoop loop = OpenCase("c1");
    Advance(loop, kOpenedAt + absl::Seconds(10));
    ASSERT_OK(store->Save({&loop.proto()}));
  }
  ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(path));
  EXPECT_EQ(*store->SchemaVersion(), SqliteCaseStore::kSchemaVersion);
  ASSERT_OK_AND_ASSIGN(v1::Case c, store->Get("c1"));
  EXPECT_EQ(c.events_size(), 3);
  EXPECT_OK(store->IntegrityCheck());
}

TEST(SqliteCaseStore, AVersionOneFileIsMigratedWithItsData) {
  const std::string path = FreshPath("migrate");
  {
    // What the first release wrote: schema 1 only.
    ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(path));
  }
  {
    // Roll the file back to schema 1 by hand and put a case in it.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "DROP INDEX cases_tier; DROP INDEX cases_assignee; DROP INDEX "
                           "cases_next_due; ALTER TABLE cases DROP COLUMN updated_at; "
                           "PRAGMA user_version=1;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(path));
  EXPECT_EQ(*store->SchemaVersion(), 2);
  CaseLoop loop = OpenCase("after-migration");
  ASSERT_OK(store->Save({&loop.proto()}));
  EXPECT_THAT(*store->Find(Q().Tier(v1::TIER_MEDIATOR)), ElementsAre("after-migration"));
}

TEST(SqliteCaseStore, AFileFromANewerVersionIsRefused) {
  const std::string path = FreshPath("newer");
  { ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(path)); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version=99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  EXPECT_THAT(SqliteCaseStore::Open(path),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::AllOf(HasSubstr(path), HasSubstr("schema version 99"))));
}

TEST(SqliteCaseStore, NotADatabaseIsDataLossNamingThePath) {
  const std::string path = FreshPath("garbage");
  std::ofstream(path) << "this is not an SQLite file, it is a note about 枫桥经验\n";
  EXPECT_THAT(SqliteCaseStore::Open(path), StatusIs(absl::StatusCode::kDataLoss, HasSubstr(path)));
}

// Readers run beside the writer and always see whole cases.
TEST(SqliteCaseStore, ConcurrentReadersSeeWholeCasesWhileOneWriterAppends) {
  ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(FreshPath("concurrent")));
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
    ASSERT_OK(store->Save(batch));
  }
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(reads.load(), 0);
}

}  // namespace
}  // namespace fengqiao
