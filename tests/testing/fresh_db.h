// A fresh SQLite store path for a test: in the test's temp folder, unique to the process, with
// any file, WAL or shared-memory index of an earlier run removed.
#ifndef FENGQIAO_TESTS_TESTING_FRESH_DB_H_
#define FENGQIAO_TESTS_TESTING_FRESH_DB_H_

#include <unistd.h>

#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace fengqiao::testing {

inline std::string FreshDbPath(const std::string& name) {
  const std::string path = absl::StrCat(::testing::TempDir(), "/", name, "-", getpid(), ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return path;
}

}  // namespace fengqiao::testing

#endif  // FENGQIAO_TESTS_TESTING_FRESH_DB_H_
