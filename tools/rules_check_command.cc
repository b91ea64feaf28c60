// `fengqiao rules check RULES [GRID_MAP]`: diagnostics the way a compiler prints them.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/routing/rule_set.h"
#include "fengqiao/routing/rule_source.h"
#include "fmt/core.h"
#include "google/protobuf/util/json_util.h"
#include "tools/commands.h"

ABSL_FLAG(bool, Werror, false, "treat warnings as errors: exit 1 when there is any finding");
ABSL_FLAG(bool, quiet, false, "print errors only: no warnings, no summary line");

namespace fengqiao::tools {
namespace {

// One finding as a JSON line, keys in a fixed order:
// {"severity", "where", "rule_id" (when about one rule), "code", "message"}.
std::string FindingJson(const fengqiao::RuleIssue& issue) {
  std::string json = absl::StrCat(
      "{\"severity\":",
      JsonQuoted(issue.severity == fengqiao::RuleIssue::Severity::kError ? "error" : "warning"),
      ",\"where\":", JsonQuoted(issue.where));
  if (!issue.rule_id.empty()) absl::StrAppend(&json, ",\"rule_id\":", JsonQuoted(issue.rule_id));
  absl::StrAppend(&json, ",\"code\":", JsonQuoted(issue.code),
                  ",\"message\":", JsonQuoted(issue.message), "}");
  return json;
}

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
  const OutputFormat format = absl::GetFlag(FLAGS_format);
  const bool json = format == OutputFormat::kJson;
  const bool csv = format == OutputFormat::kCsv;
  if (csv) fmt::print("{}\n", CsvLine({"severity", "where", "rule_id", "code", "message"}));
  const bool werror = absl::GetFlag(FLAGS_Werror);
  const bool quiet = absl::GetFlag(FLAGS_quiet);

  std::vector<fengqiao::RuleIssue> issues;
  int rules = 0;
  absl::StatusOr<fengqiao::RuleSetSource> source = fengqiao::RuleSetSource::Load(rules_path);
  if (source.ok()) {
    rules = source->proto().rules_size();
    issues = fengqiao::RuleSet::Lint(*source, **map);
  } else {
    // The source does not parse: one error, located where the loader's message says
    // ("file:line:col: what").
    fengqiao::RuleIssue issue;
    issue.code = "load";
    issue.message = std::string(source.status().message());
    const std::vector<absl::string_view> parts = absl::StrSplit(issue.message, ": ");
    int line = 0, col = 0;
    const std::vector<absl::string_view> place = absl::StrSplit(parts[0], ':');
    if (parts.size() > 1 && place.size() >= 3 && absl::SimpleAtoi(place[place.size() - 2], &line) &&
        absl::SimpleAtoi(place.back(), &col)) {
      issue.where = std::string(parts[0]);
      issue.message = issue.message.substr(parts[0].size() + 2);
    } else {
      issue.where = rules_path;
    }
    issues.push_back(std::move(issue));
  }
  // Errors first, each group in file order.
  std::stable_partition(issues.begin(), issues.end(), [](const fengqiao::RuleIssue& issue) {
    return issue.severity == fengqiao::RuleIssue::Severity::kError;
  });
  int errors = 0, warnings = 0;
  for (const fengqiao::RuleIssue& issue : issues) {
    const bool is_error = issue.severity == fengqiao::RuleIssue::Severity::kError;
    (is_error ? errors : warnings) += 1;
    if (quiet && !is_error) continue;
    if (json) {
      fmt::print("{}\n", FindingJson(issue));
    } else if (csv) {
      fmt::print("{}\n", CsvLine({is_error ? "error" : "warning", issue.where, issue.rule_id,
                                  issue.code, issue.message}));
    } else {
      fmt::print(stderr, "{}\n", issue.ToString());
    }
  }
  if (!quiet && !json && !csv) {
    fmt::print(stderr, "{}: {} rules, {} error{}, {} warning{}{}\n", rules_path, rules, errors,
               errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
               werror && warnings > 0 ? " (warnings are errors: --Werror)" : "");
  }
  return errors > 0 || (werror && warnings > 0) ? kExitFailure : kExitOk;
}

int RunRulesCheck(const std::vector<std::string>& args) {
  return RulesCheck(args[0], args.size() > 1 ? args[1] : "");
}

}  // namespace

const Command& RulesCheckCommand() {
  static const Command* const command = new Command{
      .name = "rules check",
      .args = {"RULES", "[GRID_MAP]"},
      .flags = {"format=text|json|csv", "Werror", "quiet"},
      .summary = "validate and lint a rule set",
      .description =
          "Validates and lints the rule set RULES (protobuf text format, with its `inherits`\n"
          "chain) against GRID_MAP (default RULES/../../grid_map.textproto).\n"
          "Text: every finding on stderr as file:line:col: error|warning: message [check],\n"
          "errors first, then a count; stdout stays empty.\n"
          "JSON: one line per finding on stdout, errors first: {\"severity\": "
          "\"error\"|\"warning\",\n"
          "\"where\": \"file:line:col\", \"rule_id\", \"code\" (the check, \"load\" when the file "
          "does\n"
          "not parse), \"message\"}.\n"
          "CSV: a header line, then one row per finding on stdout, errors first: severity,\n"
          "where, rule_id, code, message.\n"
          "Exit 0 when the rule set has no errors (warnings allowed unless --Werror), 1 when it\n"
          "has errors (or warnings with --Werror) or a file does not load.\n",
      .run = RunRulesCheck,
  };
  return *command;
}

}  // namespace fengqiao::tools
