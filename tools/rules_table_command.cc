// `fengqiao rules export RULES GRID_MAP --format=jdm|dmn` and `fengqiao rules import TABLE
// --from=jdm|dmn`: routing rule tables out to and in from GoRules JDM and DMN 1.3, through the
// interop module (the mapping is the library's; this file reads and writes).
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/interop/rule_table.h"
#include "fengqiao/routing/rule_set.h"
#include "fengqiao/routing/rule_source.h"
#include "fmt/core.h"
#include "google/protobuf/text_format.h"
#include "tools/commands.h"

namespace fengqiao::tools {

// A rule table format as a flag value ("jdm" or "dmn"); a bad value is a usage error.
struct TableFormatFlag {
  RuleTableFormat format = RuleTableFormat::kJdm;
};

bool AbslParseFlag(absl::string_view text, TableFormatFlag* flag, std::string* error) {
  absl::StatusOr<RuleTableFormat> format = ParseRuleTableFormat(text);
  if (!format.ok()) {
    *error = std::string(format.status().message());
    return false;
  }
  flag->format = *format;
  return true;
}

std::string AbslUnparseFlag(TableFormatFlag flag) {
  return flag.format == RuleTableFormat::kDmn ? "dmn" : "jdm";
}

}  // namespace fengqiao::tools

ABSL_FLAG(fengqiao::tools::TableFormatFlag, table_format, fengqiao::tools::TableFormatFlag{},
          "rules export: jdm (GoRules JSON Decision Model) or dmn (DMN 1.3 XML)");
ABSL_FLAG(std::optional<fengqiao::tools::TableFormatFlag>, from, std::nullopt,
          "rules import: jdm or dmn (default: from the file name, .json is jdm, .dmn and .xml "
          "are dmn)");

namespace fengqiao::tools {
namespace {

int Export(const std::vector<std::string>& args) {
  absl::StatusOr<RuleSetSource> source = RuleSetSource::Load(args[0]);
  if (!source.ok()) return Fail(source.status());
  absl::StatusOr<std::shared_ptr<const GridMap>> map = GridMap::Load(args[1]);
  if (!map.ok()) return Fail(map.status());
  absl::StatusOr<std::shared_ptr<const RuleSet>> rules = RuleSet::Compile(*source, *map);
  if (!rules.ok()) return Fail(rules.status());
  absl::StatusOr<std::string> table =
      ExportRuleTable(**rules, absl::GetFlag(FLAGS_table_format).format);
  if (!table.ok()) return Fail(table.status());
  fmt::print("{}", *table);
  std::fflush(stdout);
  return kExitOk;
}

int Import(const std::vector<std::string>& args) {
  const std::string& path = args[0];
  std::optional<TableFormatFlag> from = absl::GetFlag(FLAGS_from);
  if (!from.has_value()) {
    const std::string lower = absl::AsciiStrToLower(path);
    if (absl::EndsWith(lower, ".json")) {
      from = TableFormatFlag{RuleTableFormat::kJdm};
    } else if (absl::EndsWith(lower, ".dmn") || absl::EndsWith(lower, ".xml")) {
      from = TableFormatFlag{RuleTableFormat::kDmn};
    } else {
      fmt::print(stderr, "fengqiao rules import: {}: say --from=jdm or --from=dmn\n", path);
      return kExitUsage;
    }
  }
  absl::StatusOr<v1::RuleSet> rules = LoadRuleTable(path, from->format);
  if (!rules.ok()) return Fail(rules.status());
  google::protobuf::TextFormat::Printer printer;
  printer.SetUseUtf8StringEscaping(true);
  std::string text;
  if (!printer.PrintToString(*rules, &text)) {
    return Fail(absl::InternalError("the rule set does not print as text format"));
  }
  fmt::print("# proto-file: fengqiao/v1/routing.proto\n# proto-message: fengqiao.v1.RuleSet\n{}",
             text);
  std::fflush(stdout);
  return kExitOk;
}

}  // namespace

const Command& RulesExportCommand() {
  static const Command* const command = new Command{
      .name = "rules export",
      .args = {"RULES", "GRID_MAP"},
      .flags = {"format(table_format)=jdm|dmn"},
      .summary = "a rule set as a GoRules JDM or DMN 1.3 decision table",
      .description =
          "Compiles the rule set RULES (with its `inherits` chain) against GRID_MAP and writes\n"
          "the merged rules on stdout as one decision table: --format=jdm, a GoRules JSON\n"
          "Decision Model (ZEN engine); --format=dmn, a DMN 1.3 decision table (FEEL unary\n"
          "tests). One row per rule, one input column per routing fact, the action as outputs;\n"
          "the area path, tags and capacity are input columns the caller fills\n"
          "(docs/interop.md). Exit 0, or 1 when a file does not load, the rules do not\n"
          "compile or a rule cannot be written as a table row.\n",
      .run = Export,
  };
  return *command;
}

const Command& RulesImportCommand() {
  static const Command* const command = new Command{
      .name = "rules import",
      .args = {"TABLE"},
      .flags = {"from=jdm|dmn"},
      .summary = "a GoRules JDM or DMN 1.3 decision table as a rule set (text format)",
      .description =
          "Reads the decision table TABLE (--from=jdm or dmn; by default .json is jdm, .dmn and\n"
          "and .xml are dmn) and writes it on stdout as a fengqiao.v1.RuleSet in protobuf text\n"
          "format, ready for `fengqiao rules check`. A table that says what routing facts\n"
          "cannot hold is refused on stderr as FILE:LINE:COL: row N (rule \"id\"), column \"c\":\n"
          "cannot express \"EXPRESSION\" ...; nothing is written then.\n"
          "Exit 0, or 1 when the table does not load or does not map; 64 when the format is\n"
          "neither given nor known from the file name.\n",
      .run = Import,
  };
  return *command;
}

}  // namespace fengqiao::tools
