// Shared by the fuzz harnesses: the sample district they route against, and an invariant check
// that fails the run (the replay test and libFuzzer both see the abort) with what was violated.
#ifndef FENGQIAO_TESTS_FUZZ_FUZZ_COMMON_H_
#define FENGQIAO_TESTS_FUZZ_FUZZ_COMMON_H_

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "fengqiao/grid/grid_map.h"

namespace fengqiao::fuzz {

// The sample district's grid map, loaded once (the harnesses parse their input against it).
inline const std::shared_ptr<const GridMap>& SampleMapPtr() {
  static const std::shared_ptr<const GridMap> map = [] {
    auto loaded = GridMap::Load(FENGQIAO_SOURCE_DIR "/examples/data/grid_map.textproto");
    if (!loaded.ok()) {
      std::fprintf(stderr, "fuzz: cannot load the sample grid map\n");
      std::abort();
    }
    return *loaded;
  }();
  return map;
}
inline const GridMap& SampleMap() { return *SampleMapPtr(); }

// An invariant of the library broke on this input.
[[noreturn]] inline void Violated(const char* what, const std::string& detail = "") {
  std::fprintf(stderr, "fuzz invariant violated: %s %s\n", what, detail.c_str());
  std::abort();
}

}  // namespace fengqiao::fuzz

#define FQ_FUZZ_CHECK(cond, ...)                                   \
  do {                                                             \
    if (!(cond)) ::fengqiao::fuzz::Violated(#cond, ##__VA_ARGS__); \
  } while (0)

#endif  // FENGQIAO_TESTS_FUZZ_FUZZ_COMMON_H_
