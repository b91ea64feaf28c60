// `fengqiao locate GRID_MAP LAT LNG`: the grid holding a point.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "fengqiao/grid/grid_map.h"
#include "fmt/core.h"
#include "tools/commands.h"

namespace fengqiao::tools {
namespace {

int Locate(const std::string& map_path, const std::string& lat, const std::string& lng) {
  absl::StatusOr<std::shared_ptr<const fengqiao::GridMap>> map = fengqiao::GridMap::Load(map_path);
  if (!map.ok()) return Fail(map.status());
  fengqiao::v1::LatLng p;
  double v;
  if (!absl::SimpleAtod(lat, &v)) return Fail(absl::InvalidArgumentError("bad latitude"));
  p.set_lat_deg(v);
  if (!absl::SimpleAtod(lng, &v)) return Fail(absl::InvalidArgumentError("bad longitude"));
  p.set_lng_deg(v);
  absl::StatusOr<const fengqiao::v1::Area*> grid = (*map)->Locate(p);
  if (!grid.ok()) return Fail(grid.status());
  if (*grid == nullptr) {
    fmt::print("outside every grid\n");
    return kExitOutside;
  }
  fmt::print("{} {}\n", (*grid)->code(), (*grid)->name());
  return kExitOk;
}

int RunLocate(const std::vector<std::string>& args) { return Locate(args[0], args[1], args[2]); }

}  // namespace

const Command& LocateCommand() {
  static const Command* const command = new Command{
      .name = "locate",
      .args = {"GRID_MAP", "LAT", "LNG"},
      .flags = {},
      .summary = "the grid holding a point",
      .description =
          "Prints the code and name of the grid of GRID_MAP that holds the point LAT, LNG\n"
          "(degrees, WGS-84). Exit 0 when a grid holds it, 2 when it lies outside every grid,\n"
          "1 when the map does not load or a coordinate is not a number.\n",
      .run = RunLocate,
  };
  return *command;
}

}  // namespace fengqiao::tools
