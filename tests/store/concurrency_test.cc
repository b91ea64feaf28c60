// Optimistic concurrency across processes: several writer processes (concurrent_writer.cc) save
// to the same few cases of one SQLite store, each reloading and retrying when its save is
// Aborted. Afterwards every acknowledged event is in its case's log at the acknowledged seq, no
// event is there that was not acknowledged, and every log replays to its stored header.
// FENGQIAO_CONCURRENT_SAVES sets the saves per writer (default 500, 4 writers);
// FENGQIAO_CONCURRENT_WRITER names the writer binary.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/store/sqlite_case_store.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

extern char** environ;

namespace fengqiao {
namespace {

const char* WriterPath() {
  const char* env = std::getenv("FENGQIAO_CONCURRENT_WRITER");
  return env != nullptr ? env : FENGQIAO_CONCURRENT_WRITER;
}

// Starts a writer with its standard output in `out`; returns its pid.
pid_t SpawnWriter(const std::vector<std::string>& args, const std::string& out) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> argv = {const_cast<char*>(WriterPath())};
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, WriterPath(), &actions, nullptr, argv.data(), environ);
  EXPECT_EQ(rc, 0) << WriterPath() << ": " << strerror(rc);
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

struct Ack {
  std::string case_id;
  int seq = 0;
};

TEST(SqliteCaseStoreConcurrencyTest, WritersInSeveralProcessesLoseNoAcknowledgedEvent) {
  constexpr int kWriters = 4;
  constexpr int kCases = 6;
  int saves = 500;
  if (const char* env = std::getenv("FENGQIAO_CONCURRENT_SAVES")) {
    ASSERT_TRUE(absl::SimpleAtoi(env, &saves));
  }
  const std::string dir = ::testing::TempDir();
  const std::string db = absl::StrCat(dir, "/concurrent-", getpid(), ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
  // Create the file first, so that the writers race on the cases, not on the schema.
  { ASSERT_OK(SqliteCaseStore::Open(db).status()); }

  std::vector<pid_t> pids;
  std::vector<std::string> outs;
  for (int w = 0; w < kWriters; ++w) {
    outs.push_back(absl::StrCat(dir, "/concurrent-", getpid(), "-w", w, ".out"));
    pids.push_back(SpawnWriter(
        {db, absl::StrCat(w), absl::StrCat(1000 + w), absl::StrCat(saves), absl::StrCat(kCases)},
        outs.back()));
  }
  for (pid_t pid : pids) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a writer failed: " << status;
  }

  // What the writers acknowledged: token -> (case, seq).
  std::map<std::string, Ack> acked;
  int64_t conflicts = 0, busy = 0;
  for (const std::string& out : outs) {
    std::ifstream in(out);
    std::string line;
    while (std::getline(in, line)) {
      std::vector<std::string> parts = absl::StrSplit(line, ' ');
      if (parts[0] == "conflict") {
        ++conflicts;
      } else if (parts[0] == "busy") {
        ++busy;
      } else {
        ASSERT_EQ(parts.size(), 4u) << line;
        Ack a{parts[1], 0};
        ASSERT_TRUE(absl::SimpleAtoi(parts[2], &a.seq)) << line;
        ASSERT_TRUE(acked.emplace(parts[3], a).second) << "acknowledged twice: " << line;
      }
    }
    std::filesystem::remove(out);
  }
  ASSERT_EQ(acked.size(), static_cast<size_t>(kWriters) * saves);

  ASSERT_OK_AND_ASSIGN(auto store, SqliteCaseStore::Open(db));
  ASSERT_OK(store->IntegrityCheck());
  std::map<std::string, Ack> found;  // every writer's event in the store, by token
  for (int k = 0; k < kCases; ++k) {
    const std::string id = absl::StrCat("c", k);
    absl::StatusOr<v1::Case> c = store->Get(id);
    if (absl::IsNotFound(c.status())) continue;  // no writer drew this case
    ASSERT_OK(c.status());
    ASSERT_OK_AND_ASSIGN(CaseLoop replayed, CaseLoop::Restore(*c));
    EXPECT_EQ(replayed.state().state, c->state()) << id << ": header and log disagree";
    for (const v1::CaseEvent& e : c->events()) {
      if (e.type() != v1::CASE_EVENT_TYPE_ASSIGN) continue;
      EXPECT_TRUE(found.emplace(e.assignee(), Ack{id, static_cast<int>(e.seq())}).second)
          << id << ": " << e.assignee() << " is in the log twice";
    }
  }
  // Each acknowledged event is where its writer saw it saved, and nothing else was saved.
  for (const auto& [token, a] : acked) {
    auto it = found.find(token);
    ASSERT_NE(it, found.end()) << "acknowledged event " << token << " of " << a.case_id
                               << " is missing";
    EXPECT_EQ(it->second.case_id, a.case_id) << token;
    EXPECT_EQ(it->second.seq, a.seq) << token;
  }
  EXPECT_EQ(found.size(), acked.size()) << "the store holds events nobody acknowledged";
  // The writers really raced: some saves were refused and retried.
  EXPECT_GT(conflicts, 0);
  RecordProperty("saves", std::to_string(acked.size()));
  RecordProperty("conflicts_retried", std::to_string(conflicts));
  RecordProperty("busy_retried", std::to_string(busy));
  std::printf(
      "%zu acknowledged saves by %d processes on %d cases; %lld conflicts and %lld busy "
      "retries\n",
      acked.size(), kWriters, kCases, static_cast<long long>(conflicts),
      static_cast<long long>(busy));
}

}  // namespace
}  // namespace fengqiao
