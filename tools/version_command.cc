// `fengqiao version` (also `fengqiao --version`): the library's version.
#include <string>
#include <vector>

#include "fengqiao/version.h"
#include "fmt/core.h"
#include "tools/commands.h"

namespace fengqiao::tools {
namespace {

int RunVersion(const std::vector<std::string>&) {
  fmt::print("{}\n", fengqiao::VersionString());
  return kExitOk;
}

}  // namespace

const Command& VersionCommand() {
  static const Command* const command = new Command{
      .name = "version",
      .args = {},
      .flags = {},
      .summary = "print the version of fengqiao",
      .description = "Prints the version of the fengqiao library (MAJOR.MINOR.PATCH). Exit 0.\n",
      .run = RunVersion,
  };
  return *command;
}

}  // namespace fengqiao::tools
