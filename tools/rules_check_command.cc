// `fengqiao rules check RULES [GRID_MAP]` and `fengqiao catalogue check CATALOGUE`: diagnostics
// the way a compiler prints them.
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
#include "fengqiao/routing/responsibility_catalogue.h"
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

// A file that does not load, as one finding located where the loader's message says
// ("file:line:col: what"), or at `path`.
fengqiao::RuleIssue LoadIssue(const absl::Status& status, const std::string& path) {
  fengqiao::RuleIssue issue;
  issue.code = "load";
  issue.message = std::string(status.message());
  const std::vector<absl::string_view> parts = absl::StrSplit(issue.message, ": ");
  int line = 0, col = 0;
  const std::vector<absl::string_view> place = absl::StrSplit(parts[0], ':');
  if (parts.size() > 1 && place.size() >= 3 && absl::SimpleAtoi(place[place.size() - 2], &line) &&
      absl::SimpleAtoi(place.back(), &col)) {
    issue.where = std::string(parts[0]);
    issue.message = issue.message.substr(parts[0].size() + 2);
  } else {
    issue.where = path;
  }
  return issue;
}

// Prints the findings of the file at `path` (holding `count` `things`) in the chosen format,
// errors first, and returns the exit code: 1 on errors (or warnings with --Werror).
int ReportFindings(const std::string& path, int count, const char* things,
                   std::vector<fengqiao::RuleIssue> issues) {
  const OutputFormat format = absl::GetFlag(FLAGS_format);
  const bool json = format == OutputFormat::kJson;
  const bool csv = format == OutputFormat::kCsv;
  if (csv) fmt::print("{}\n", CsvLine({"severity", "where", "rule_id", "code", "message"}));
  const bool werror = absl::GetFlag(FLAGS_Werror);
  const bool quiet = absl::GetFlag(FLAGS_quiet);
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
    fmt::print(stderr, "{}: {} {}, {} error{}, {} warning{}{}\n", path, count, things, errors,
               errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
               werror && warnings > 0 ? " (warnings are errors: --Werror)" : "");
  }
  return errors > 0 || (werror && warnings > 0) ? kExitFailure : kExitOk;
}

// A missing file or a directory is an input error, not a finding.
absl::Status CheckInputFile(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return absl::NotFoundError(absl::StrCat(path, ": no such file"));
  }
  if (std::filesystem::is_directory(path, error)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": is a directory, not a file"));
  }
  return absl::OkStatus();
}

int RulesCheck(const std::string& rules_path, std::string map_path) {
  // A rules file that is not there is an input error, not a diagnostic of the rule set; checked
  // first, so that it is not reported as a missing grid map next to it.
  if (absl::Status input = CheckInputFile(rules_path); !input.ok()) return Fail(input);
  if (map_path.empty()) {
    map_path =
        (std::filesystem::path(rules_path).parent_path().parent_path() / "grid_map.textproto")
            .string();
  }
  absl::StatusOr<std::shared_ptr<const fengqiao::GridMap>> map = fengqiao::GridMap::Load(map_path);
  if (!map.ok()) return Fail(map.status());
  std::vector<fengqiao::RuleIssue> issues;
  int rules = 0;
  absl::StatusOr<fengqiao::RuleSetSource> source = fengqiao::RuleSetSource::Load(rules_path);
  if (source.ok()) {
    rules = source->proto().rules_size();
    issues = fengqiao::RuleSet::Lint(*source, **map);
  } else {
    issues.push_back(LoadIssue(source.status(), rules_path));
  }
  return ReportFindings(rules_path, rules, "rules", std::move(issues));
}

int CatalogueCheck(const std::string& path) {
  if (absl::Status input = CheckInputFile(path); !input.ok()) return Fail(input);
  std::vector<fengqiao::RuleIssue> issues;
  int items = 0;
  absl::StatusOr<std::vector<fengqiao::RuleIssue>> lint =
      fengqiao::ResponsibilityCatalogue::LintFile(path);
  if (lint.ok()) {
    issues = *std::move(lint);
    absl::StatusOr<std::shared_ptr<const fengqiao::ResponsibilityCatalogue>> catalogue =
        fengqiao::ResponsibilityCatalogue::Load(path);
    if (catalogue.ok()) items = (*catalogue)->size();
  } else if (lint.status().code() == absl::StatusCode::kInvalidArgument) {
    issues.push_back(LoadIssue(lint.status(), path));
  } else {
    return Fail(lint.status());  // unreadable, too large
  }
  return ReportFindings(path, items, "items", std::move(issues));
}

int RunRulesCheck(const std::vector<std::string>& args) {
  return RulesCheck(args[0], args.size() > 1 ? args[1] : "");
}

int RunCatalogueCheck(const std::vector<std::string>& args) { return CatalogueCheck(args[0]); }

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

const Command& CatalogueCheckCommand() {
  static const Command* const command = new Command{
      .name = "catalogue check",
      .args = {"CATALOGUE"},
      .flags = {"format=text|json|csv", "Werror", "quiet"},
      .summary = "validate and lint a responsibility catalogue (职责清单 / 派单目录)",
      .description =
          "Validates and lints the responsibility catalogue CATALOGUE (protobuf text format,\n"
          "fengqiao.v1.ResponsibilityCatalogue): errors for what routing cannot use (codes\n"
          "missing, malformed or used twice, items without an owning department, no version,\n"
          "effective date or fallback owner), warnings for a department's duty handed down to a\n"
          "community or a grid without an admission basis (duty-pushed-down), two items of a\n"
          "class with one name, empty classes and domains.\n"
          "Output and exit codes as `fengqiao rules check`: text on stderr, --format=json|csv\n"
          "on stdout (rule_id holds the item's code); exit 1 on errors (or warnings with\n"
          "--Werror) or when the file does not load.\n",
      .run = RunCatalogueCheck,
  };
  return *command;
}

}  // namespace fengqiao::tools
