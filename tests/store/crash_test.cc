// Durability under SIGKILL: a child process saves batches of cases to an SQLite store and
// acknowledges each batch after Save returns; the test kills it at random moments, reopens the
// store and checks that every acknowledged event is there and that no case is half-written
// (its stored header and its event log agree, and the log replays). The writer also reads cases in
// clear through CaseAccess: every read it acknowledged has its record in the audit trail.
// FENGQIAO_CRASH_ITERATIONS=2000 runs a longer campaign (default 200); FENGQIAO_CRASH_WRITER
// names the writer binary.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/store/case_access.h"
#include "fengqiao/store/sqlite_case_store.h"
#include "gtest/gtest.h"
#include "testing/cases.h"
#include "testing/status_matchers.h"
#include "testing/viewers.h"

extern char** environ;

namespace fengqiao {
namespace {

struct Child {
  pid_t pid = -1;
  int out = -1;
};

// The writer binary: built beside this test; FENGQIAO_CRASH_WRITER overrides it (for long runs
// from a copy while the build tree changes).
const char* WriterPath() {
  const char* env = std::getenv("FENGQIAO_CRASH_WRITER");
  return env != nullptr ? env : FENGQIAO_CRASH_WRITER;
}

Child Spawn(const std::string& db, const std::string& run, uint64_t seed) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  std::string seed_text = absl::StrCat(seed);
  std::vector<char*> argv = {const_cast<char*>(WriterPath()), const_cast<char*>(db.c_str()),
                             const_cast<char*>(run.c_str()), seed_text.data(), nullptr};
  Child child;
  const int rc = posix_spawn(&child.pid, WriterPath(), &actions, nullptr, argv.data(), environ);
  EXPECT_EQ(rc, 0) << WriterPath() << ": " << strerror(rc);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  child.out = fds[0];
  return child;
}

// Reads until `line` is seen (or EOF), returning what was read.
std::string ReadUntil(int fd, const std::string& line) {
  std::string data;
  char buffer[4096];
  while (data.find(line) == std::string::npos) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n <= 0) break;
    data.append(buffer, n);
  }
  return data;
}

std::string ReadAll(int fd) {
  std::string data;
  char buffer[65536];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof(buffer))) > 0) data.append(buffer, n);
  return data;
}

// Acknowledged events per case: the lines of every batch whose "commit" line was printed.
std::map<std::string, int> Acknowledged(const std::string& output) {
  std::map<std::string, int> acked, pending;
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    if (line == "commit") {
      for (const auto& [id, n] : pending) acked[id] = std::max(acked[id], n);
      pending.clear();
      continue;
    }
    std::vector<absl::string_view> parts = absl::StrSplit(line, ' ');
    int n = 0;
    if (parts.size() == 2 && absl::SimpleAtoi(parts[1], &n)) pending[std::string(parts[0])] = n;
  }
  return acked;
}

// Case ids of the acknowledged clear reads ("read <id>" lines).
std::vector<std::string> AcknowledgedReads(const std::string& output) {
  std::vector<std::string> reads;
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    if (absl::ConsumePrefix(&line, "read ")) reads.emplace_back(line);
  }
  return reads;
}

// One campaign of `iterations` kills; with `key` (64 hex digits) the store is encrypted, the
// writer reading the key from FENGQIAO_STORE_KEY as a deployment would.
void RunCampaign(int iterations, const std::string& key_hex) {
  SqliteOptions options;
  if (key_hex.empty()) {
    ::unsetenv("FENGQIAO_STORE_KEY");
  } else {
    ::setenv("FENGQIAO_STORE_KEY", key_hex.c_str(), 1);
    ASSERT_OK_AND_ASSIGN(options.key, StoreKeyFromEnvironment());
  }
  const std::string db = absl::StrCat(::testing::TempDir(), "/crash-", getpid(),
                                      key_hex.empty() ? "" : "-encrypted", ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
  std::mt19937_64 rng(42);
  int64_t acked_events = 0, killed_mid_batch = 0;
  std::vector<std::string> acked_reads;  // over every run, in order
  auto map = *GridMap::Load(FENGQIAO_SOURCE_DIR "/examples/data/grid_map.textproto");
  v1::Viewer chief = testing::SupervisingChief("zs", /*unmasked=*/false);
  for (int run = 0; run < iterations; ++run) {
    Child child = Spawn(db, absl::StrCat("r", run), rng());
    std::string output = ReadUntil(child.out, "ready\n");
    ASSERT_NE(output.find("ready"), std::string::npos) << "the writer did not start";
    std::this_thread::sleep_for(std::chrono::microseconds(500 + rng() % 30000));
    kill(child.pid, SIGKILL);
    int status = 0;
    waitpid(child.pid, &status, 0);
    output += ReadAll(child.out);
    close(child.out);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer exited by itself: " << output;
    if (!output.empty() && output.back() != '\n') ++killed_mid_batch;

    const std::map<std::string, int> acked = Acknowledged(output);
    ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(db, options));
    for (const auto& [id, events] : acked) {
      ASSERT_OK_AND_ASSIGN(v1::Case c, store->Get(id));
      ASSERT_GE(c.events_size(), events) << id << " lost acknowledged events in run " << run;
      acked_events += events;
    }
    // No half-written case among this run's: header and log agree and the log replays.
    CaseQuery all;
    ASSERT_OK_AND_ASSIGN(std::vector<std::string> ids, store->Find(all));
    for (const std::string& id : ids) {
      if (run % 20 != 0 && id.rfind(absl::StrCat("r", run, "-"), 0) != 0) continue;
      ASSERT_OK_AND_ASSIGN(v1::Case c, store->Get(id));
      ASSERT_GT(c.events_size(), 0) << id;
      ASSERT_OK_AND_ASSIGN(CaseLoop loop, CaseLoop::Restore(c));
      ASSERT_EQ(loop.state().state, c.state()) << id << ": header and log disagree";
    }
    if (run % 20 == 0) {
      ASSERT_OK(store->IntegrityCheck());
    }
    // Every acknowledged clear read is in the audit trail, in order (a read killed after its
    // record was written and before it was acknowledged leaves one record more).
    for (std::string& id : AcknowledgedReads(output)) acked_reads.push_back(std::move(id));
    ASSERT_OK_AND_ASSIGN(CaseAccess access, CaseAccess::Open(store.get(), map, chief));
    AuditQuery reads;
    reads.member_id = "m-1";
    ASSERT_OK_AND_ASSIGN(std::vector<v1::AuditRecord> trail,
                         access.AuditTrail(reads, testing::kOpenedAt));
    size_t matched = 0;
    for (size_t i = 0; i < trail.size() && matched < acked_reads.size(); ++i) {
      ASSERT_EQ(trail[i].case_ids_size(), 1);
      if (trail[i].case_ids(0) == acked_reads[matched]) ++matched;
    }
    ASSERT_EQ(matched, acked_reads.size()) << "an acknowledged clear read has no audit record";
  }
  EXPECT_GT(acked_events, 0);
  EXPECT_GT(acked_reads.size(), 0u);
  const std::string prefix = key_hex.empty() ? "" : "encrypted_";
  ::testing::Test::RecordProperty(prefix + "acknowledged_events_checked",
                                  std::to_string(acked_events));
  ::testing::Test::RecordProperty(prefix + "acknowledged_reads_checked",
                                  std::to_string(acked_reads.size()));
  ::testing::Test::RecordProperty(prefix + "kills", std::to_string(iterations));
  ::unsetenv("FENGQIAO_STORE_KEY");
}

int Iterations(int otherwise) {
  int iterations = otherwise;
  if (const char* env = std::getenv("FENGQIAO_CRASH_ITERATIONS")) {
    EXPECT_TRUE(absl::SimpleAtoi(env, &iterations));
  }
  return iterations;
}

TEST(SqliteCaseStoreCrashTest, CrashKillsLoseNoAcknowledgedEventAndLeaveNoHalfWrittenCase) {
  RunCampaign(Iterations(200), "");
}

// The same promise for an encrypted store (issue 14: "the crash test passes on an encrypted
// store"): every acknowledged event and audit record is there and opens with the key.
TEST(SqliteCaseStoreCrashTest, AnEncryptedStoreKeepsTheSamePromise) {
  RunCampaign(Iterations(200) / 4,
              "6a1f0c3e9b7d2a4855e6f1c0b3a9d7e2c4f6a8b0d2e4f6a8c0e2a4b6d8f0a2c4");
}

}  // namespace
}  // namespace fengqiao
