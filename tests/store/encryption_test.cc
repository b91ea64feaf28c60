// Encryption at rest of the SQLite case store: the file holds no personal value in clear, a
// wrong or missing key is a clear error (never a corrupt-database message), a blob moved to
// another place does not open, and keys are read from owner-only files or the environment.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <sqlite3.h>

#include "absl/strings/str_cat.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/store/case_access.h"
#include "fengqiao/store/sqlite_case_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
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
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kName[] = "郑小梅";
constexpr char kPhone[] = "13912345678";
const std::string kKey(32, '\x5a');
const std::string kOtherKey(32, '\x33');

SqliteOptions Keyed(const std::string& key, bool read_only = false) {
  SqliteOptions o;
  o.key = key;
  o.read_only = read_only;
  return o;
}

CaseLoop PartyCase(const std::string& id) {
  v1::Incident incident;
  incident.set_id(id);
  incident.set_grid_code("xc-lc-c1-g1");
  incident.set_description(absl::StrCat("我叫", kName, ",电话", kPhone, ",楼上天天吵"));
  v1::Party* p = incident.add_parties();
  p->set_person_id("p-1");
  p->set_name(kName);
  p->set_phone(kPhone);
  CaseLoop loop = *CaseLoop::Open(incident, RoutedTo(v1::TIER_MEDIATOR), kOpenedAt, "110");
  Advance(loop, kOpenedAt + absl::Minutes(1), "m-1");
  return loop;
}

std::string FileBytes(const std::string& path) {
  std::string all;
  for (const char* suffix : {"", "-wal"}) {
    std::ifstream in(path + suffix, std::ios::binary);
    all.append(std::istreambuf_iterator<char>(in), {});
  }
  return all;
}

TEST(StoreEncryption, TheFileHoldsNoPersonalValueInClearAndTheStoreWorksAsBefore) {
  const std::string path = FreshDbPath("encrypted");
  {
    ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(path, Keyed(kKey)));
    CaseLoop c = PartyCase("c1");
    ASSERT_OK(store->Save({&c.proto()}, kOpenedAt));
    ASSERT_TRUE(Advance(c, kOpenedAt + absl::Minutes(2), "m-1"));
    ASSERT_OK(store->Save({&c.proto()}, kOpenedAt));
    ASSERT_OK_AND_ASSIGN(v1::Case back, store->Get("c1"));
    EXPECT_EQ(back.SerializeAsString(), c.proto().SerializeAsString());
    CaseQuery by_grid;
    by_grid.grid_code = "xc-lc-c1-g1";
    EXPECT_THAT(*store->Find(by_grid), ::testing::ElementsAre("c1"));
    // The audit trail is sealed too.
    auto map = *GridMap::Load(FENGQIAO_SOURCE_DIR "/examples/data/grid_map.textproto");
    v1::Viewer chief = testing::SupervisingChief("xc", /*unmasked=*/true);
    ASSERT_OK_AND_ASSIGN(CaseAccess access, CaseAccess::Open(store.get(), map, chief));
    ASSERT_OK(access.Get("c1", kOpenedAt).status());
    ASSERT_EQ(access.AuditTrail({}, kOpenedAt)->size(), 1u);
    // Every byte on disk while the store is open (file and WAL), and after it is closed.
    const std::string open_bytes = FileBytes(path);
    EXPECT_THAT(open_bytes, Not(HasSubstr(kName)));
    EXPECT_THAT(open_bytes, Not(HasSubstr(kPhone)));
    EXPECT_THAT(open_bytes, Not(HasSubstr("楼上天天吵")));
  }
  const std::string closed_bytes = FileBytes(path);
  EXPECT_THAT(closed_bytes, Not(HasSubstr(kName)));
  EXPECT_THAT(closed_bytes, Not(HasSubstr(kPhone)));
  // Reopened with the key: the same case.
  ASSERT_OK_AND_ASSIGN(auto again, SqliteCaseStore::Open(path, Keyed(kKey, /*read_only=*/true)));
  ASSERT_OK_AND_ASSIGN(v1::Case c, again->Get("c1"));
  EXPECT_EQ(c.incident().parties(0).name(), kName);
  // The control: a store in clear holds them, so the check above can fail.
  const std::string clear = FreshDbPath("clear");
  {
    ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(clear));
    CaseLoop d = PartyCase("c1");
    ASSERT_OK(store->Save({&d.proto()}, kOpenedAt));
  }
  EXPECT_THAT(FileBytes(clear), HasSubstr(kPhone));
}

TEST(StoreEncryption, AWrongOrMissingKeyIsAClearErrorAndChangesNothing) {
  const std::string path = FreshDbPath("keys");
  {
    ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(path, Keyed(kKey)));
    CaseLoop c = PartyCase("c1");
    ASSERT_OK(store->Save({&c.proto()}, kOpenedAt));
  }
  EXPECT_THAT(SqliteCaseStore::Open(path, Keyed(kOtherKey)),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       ::testing::AllOf(HasSubstr(path), HasSubstr("wrong key"))));
  EXPECT_THAT(SqliteCaseStore::Open(path, Keyed(kOtherKey, /*read_only=*/true)),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("wrong key")));
  EXPECT_THAT(SqliteCaseStore::Open(path),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is encrypted")));
  EXPECT_THAT(SqliteCaseStore::Open(path, Keyed("short")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("32 bytes")));
  // A store holding cases in clear is not turned half-encrypted by a key.
  const std::string clear = FreshDbPath("clear-keyed");
  {
    ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(clear));
    CaseLoop c = PartyCase("c1");
    ASSERT_OK(store->Save({&c.proto()}, kOpenedAt));
  }
  EXPECT_THAT(SqliteCaseStore::Open(clear, Keyed(kKey)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("in clear")));
  ASSERT_OK_AND_ASSIGN(auto still_clear, SqliteCaseStore::Open(clear));
  EXPECT_OK(still_clear->Get("c1").status());
  // With the right key it still opens.
  ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(path, Keyed(kKey)));
  EXPECT_OK(store->Get("c1").status());
}

TEST(StoreEncryption, ABlobMovedToAnotherPlaceDoesNotOpen) {
  const std::string path = FreshDbPath("moved");
  {
    ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(path, Keyed(kKey)));
    CaseLoop a = PartyCase("a"), b = PartyCase("b");
    ASSERT_OK(store->Save({&a.proto(), &b.proto()}, kOpenedAt));
  }
  // Copy case b's first event over case a's (a valid ciphertext, in the wrong place).
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "UPDATE events SET body = (SELECT body FROM events WHERE case_id = 'b' "
                         "AND seq = 1) WHERE case_id = 'a' AND seq = 1",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(path, Keyed(kKey)));
  EXPECT_THAT(store->Get("a"), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("\"a\"")));
  EXPECT_OK(store->Get("b").status());
}

TEST(StoreEncryption, KeysComeFromOwnerOnlyFilesOrTheEnvironment) {
  const std::string file = absl::StrCat(::testing::TempDir(), "/store-", getpid(), ".key");
  const std::string hex = "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF";
  {
    std::ofstream out(file);
    out << hex << "\n";
  }
  ASSERT_EQ(chmod(file.c_str(), 0600), 0);
  ASSERT_OK_AND_ASSIGN(std::string key, ReadStoreKeyFile(file));
  EXPECT_EQ(key.size(), 32u);
  EXPECT_EQ(key[1], '\x11');
  ASSERT_EQ(chmod(file.c_str(), 0644), 0);
  EXPECT_THAT(ReadStoreKeyFile(file),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("chmod 600")));
  {
    std::ofstream out(file);
    out << "not-a-key-but-a-secret-value";
  }
  ASSERT_EQ(chmod(file.c_str(), 0600), 0);
  const absl::Status bad = ReadStoreKeyFile(file).status();
  EXPECT_THAT(bad, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("64 hex digits")));
  EXPECT_THAT(std::string(bad.message()), Not(HasSubstr("secret")));
  EXPECT_THAT(ReadStoreKeyFile(file + ".missing"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("key file")));
  EXPECT_THAT(ReadStoreKeyFile("/dev/zero"),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
  ::unsetenv("FENGQIAO_TEST_STORE_KEY");
  EXPECT_THAT(StoreKeyFromEnvironment("FENGQIAO_TEST_STORE_KEY"),
              StatusIs(absl::StatusCode::kNotFound, ::testing::_));
  ::setenv("FENGQIAO_TEST_STORE_KEY", hex.c_str(), 1);
  EXPECT_EQ(*StoreKeyFromEnvironment("FENGQIAO_TEST_STORE_KEY"), key);
  ::setenv("FENGQIAO_TEST_STORE_KEY", "12ab", 1);
  EXPECT_THAT(StoreKeyFromEnvironment("FENGQIAO_TEST_STORE_KEY"),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::Not(HasSubstr("12ab"))));
}

}  // namespace
}  // namespace fengqiao
