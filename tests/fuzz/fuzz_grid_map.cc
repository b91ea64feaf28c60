// Grid maps in text format or JSON (the first byte chooses). Invariants of a map that loads: the
// roll-up of an area is its own register plus its children's roll-ups; every area's ancestors
// end at a root; locating points never fails for valid coordinates.
#include <cstdint>
#include <string>

#include "fengqiao/grid/grid_map.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool json = data[0] & 1;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  absl::StatusOr<std::shared_ptr<const fengqiao::GridMap>> map =
      fengqiao::GridMap::Parse(text, json ? "fuzz.json" : "fuzz.textproto");
  if (!map.ok()) return 0;
  const fengqiao::GridMap& m = **map;
  for (const fengqiao::v1::Area& area : m.proto().areas()) {
    absl::StatusOr<fengqiao::v1::BaseRegister> total = m.RollUp(area.code());
    FQ_FUZZ_CHECK(total.ok(), area.code());
    int64_t residents = area.base_register().actual_residents();
    for (const fengqiao::v1::Area& child : m.proto().areas()) {
      if (child.parent_code() == area.code())
        residents += m.RollUp(child.code())->actual_residents();
    }
    FQ_FUZZ_CHECK(residents == total->actual_residents(), area.code());
    FQ_FUZZ_CHECK(m.Ancestors(area.code()).ok(), area.code());
    absl::StatusOr<fengqiao::v1::LatLng> center = m.Center(area.code());
    if (center.ok()) FQ_FUZZ_CHECK(m.Locate(*center).ok(), area.code());
  }
  return 0;
}
