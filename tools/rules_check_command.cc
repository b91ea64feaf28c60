// `fengqiao rules check RULES [GRID_MAP]`: diagnostics the way a compiler prints them.
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/routing/rule_set.h"
#include "fengqiao/routing/rule_source.h"
#include "fmt/core.h"
#include "tools/commands.h"

namespace fengqiao::tools {
namespace {

int RulesCheck(const std::string& rules_path, std::string map_path) {
  // A rules file that is not there is an input error, not a diagnostic of the rule set; checked
  // first, so that it is not reported as a missing grid map next to it.
  std::error_code error;
  if (!std::filesystem::exists(rules_path, error)) {
    return Fail(absl::NotFoundError(absl::StrCat(rules_path, ": no such file")));
  }
  if (std::filesystem::is_directory(rules_path, error)) {
    return Fail(
        absl::InvalidArgumentError(absl::StrCat(rules_path, ": is a directory, not a file")));
  }
  if (map_path.empty()) {
    map_path =
        (std::filesystem::path(rules_path).parent_path().parent_path() / "grid_map.textproto")
            .string();
  }
  absl::StatusOr<std::shared_ptr<const fengqiao::GridMap>> map = fengqiao::GridMap::Load(map_path);
  if (!map.ok()) return Fail(map.status());
  absl::StatusOr<fengqiao::RuleSetSource> source = fengqiao::RuleSetSource::Load(rules_path);
  if (!source.ok()) {
    fmt::print("{}\n", Sv(source.status().message()));
    fmt::print("1 error\n");
    return kExitFailure;
  }
  int errors = 0, warnings = 0;
  for (const fengqiao::RuleIssue& issue : fengqiao::RuleSet::Lint(*source, **map)) {
    fmt::print("{}\n", issue.ToString());
    (issue.severity == fengqiao::RuleIssue::Severity::kError ? errors : warnings) += 1;
  }
  fmt::print("{}: {} rules, {} error{}, {} warning{}\n", rules_path, source->proto().rules_size(),
             errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
  return errors > 0 ? kExitFailure : kExitOk;
}

int RunRulesCheck(const std::vector<std::string>& args) {
  return RulesCheck(args[0], args.size() > 1 ? args[1] : "");
}

}  // namespace

const Command& RulesCheckCommand() {
  static const Command* const command = new Command{
      .name = "rules check",
      .args = {"RULES", "[GRID_MAP]"},
      .flags = {},
      .summary = "validate and lint a rule set",
      .description =
          "Validates and lints the rule set RULES (protobuf text format, with its `inherits`\n"
          "chain) against GRID_MAP (default RULES/../../grid_map.textproto) and prints every\n"
          "finding as file:line:col: error|warning: message [check], then a count.\n"
          "Exit 0 when the rule set has no errors (warnings allowed), 1 when it has errors or a\n"
          "file does not load.\n",
      .run = RunRulesCheck,
  };
  return *command;
}

}  // namespace fengqiao::tools
