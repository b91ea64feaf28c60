// The subcommands of `fengqiao`, one file each, and the printing they share.
//
//   district_command.cc     fengqiao district DIR [--db=CASES.db]
//   rules_check_command.cc  fengqiao rules check RULES [GRID_MAP],
//                           fengqiao catalogue check CATALOGUE
//   rules_table_command.cc  fengqiao rules export RULES GRID_MAP --format=jdm|dmn,
//                           fengqiao rules import TABLE [--from=jdm|dmn]
//   metrics_command.cc      fengqiao metrics CASES.db GRID_MAP [DIMS]
//   locate_command.cc       fengqiao locate GRID_MAP LAT LNG
//   route_command.cc        fengqiao route RULES GRID_MAP < incidents.jsonl
//   brief_command.cc        fengqiao brief daily|weekly|monthly CASES.db GRID_MAP --date=D
//   alert_command.cc        fengqiao alert [--rules=DIR] [--model=FILE] [--replies=DIR] <
//   messages.jsonl version_command.cc      fengqiao version
//
// Tool code, not library: prints to stdout / stderr.
#ifndef FENGQIAO_TOOLS_COMMANDS_H_
#define FENGQIAO_TOOLS_COMMANDS_H_

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/status/status.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/metrics/case_metrics.h"
#include "fengqiao/store/case_store.h"
#include "fmt/core.h"
#include "fmt/format.h"
#include "tools/cli.h"

namespace fengqiao::tools {

const Command& DistrictCommand();
const Command& RulesCheckCommand();
const Command& CatalogueCheckCommand();
const Command& RulesExportCommand();
const Command& RulesImportCommand();
const Command& MetricsCommand();
const Command& LocateCommand();
const Command& RouteCommand();
const Command& BriefCommand();
const Command& AlertCommand();
const Command& VersionCommand();
const Command& Open311ServicesCommand();
const Command& Open311ToIncidentsCommand();
const Command& Open311FromCasesCommand();

// Every command, in the order `fengqiao --help` lists them.
const std::vector<const Command*>& AllCommands();

// 100 * part / whole, 0 when whole is 0.
inline double Pct(int64_t part, int64_t whole) { return whole == 0 ? 0.0 : 100.0 * part / whole; }

// A titled table of counts, largest first: name (padded by display width), count, share of
// `total`.
// One row of such a table: "    <name padded to 34 columns> <count> <share>%".
inline std::string FormatMixRow(std::string_view name, int64_t n, int64_t total) {
  return fmt::format("    {:<34} {:>6}  {:5.1f}%\n", name, n, Pct(n, total));
}

template <typename Key, typename NameFn>
void PrintMix(std::string_view title, const absl::btree_map<Key, int64_t>& counts, int64_t total,
              NameFn name) {
  fmt::print("  {}:\n", title);
  std::vector<std::pair<Key, int64_t>> rows(counts.begin(), counts.end());
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [key, n] : rows) {
    fmt::print("{}", FormatMixRow(Sv(name(key)), n, total));
  }
}

// One pass over the case store: records in report order, then CompStat sheets for the months
// they span (or only the newest month, its 同比 / 环比 still counted from the months before), one
// per grouping (an empty grouping is the overall sheet).
// With OutputFormat::kJson each sheet is one line: the v1::MetricsReport in protobuf's JSON
// mapping. Counted on --threads threads (ThreadsFromFlag).
absl::Status PrintMetrics(const CaseStore& store, const GridMap& map,
                          const std::vector<std::vector<v1::Dimension>>& groupings,
                          OutputFormat format = OutputFormat::kText,
                          bool newest_month_only = false);

}  // namespace fengqiao::tools

#endif  // FENGQIAO_TOOLS_COMMANDS_H_
