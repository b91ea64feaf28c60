// Rosters in protobuf text format, against the sample map. Invariant: every member of a roster
// that loads is found by id, and its team lists it.
#include <cstdint>
#include <string>

#include "fengqiao/force/roster.h"
#include "fuzz_common.h"

// Loading the sample map is not part of any input's time.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fengqiao::fuzz::SampleMap();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<std::shared_ptr<const fengqiao::Roster>> roster =
      fengqiao::Roster::Parse(text, "fuzz.textproto", fengqiao::fuzz::SampleMapPtr());
  if (!roster.ok()) return 0;
  for (const fengqiao::v1::Member& m : (*roster)->proto().members()) {
    FQ_FUZZ_CHECK((*roster)->FindMember(m.id()) != nullptr, m.id());
  }
  return 0;
}
