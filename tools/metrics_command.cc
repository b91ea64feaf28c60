// `fengqiao metrics CASES.db GRID_MAP [DIMS]`: the CompStat sheet of a case store.
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/metrics/case_metrics.h"
#include "fengqiao/metrics/case_record.h"
#include "fengqiao/metrics/case_record_reader.h"
#include "fengqiao/store/sqlite_case_store.h"
#include "fengqiao/time_zone.h"
#include "fengqiao/vocabulary.h"
#include "fmt/core.h"
#include "google/protobuf/util/json_util.h"
#include "tools/commands.h"
#include "tools/compstat_format.h"

namespace fengqiao::tools {

absl::Status PrintMetrics(const fengqiao::CaseStore& store, const fengqiao::GridMap& map,
                          const std::vector<std::vector<fengqiao::v1::Dimension>>& groupings,
                          OutputFormat format) {
  absl::StatusOr<fengqiao::CaseRecordTable> table = fengqiao::ReadCaseRecords(store, map);
  if (!table.ok()) return table.status();
  const std::vector<fengqiao::CaseRecord>& records = table->records;
  if (records.empty()) return absl::NotFoundError("the case store holds no cases");
  // The calendar months the records span, in China's time zone (the metrics' default).
  const absl::TimeZone tz = fengqiao::ChinaTimeZone();
  const absl::CivilMonth first(
      absl::ToCivilDay(absl::FromUnixSeconds(records.front().reported_at), tz));
  const absl::CivilMonth last(
      absl::ToCivilDay(absl::FromUnixSeconds(records.back().reported_at), tz));
  for (const auto& dims : groupings) {
    fengqiao::MetricsOptions options;
    options.period_start = absl::FromCivil(absl::CivilDay(first), tz);
    options.period_end = absl::FromCivil(absl::CivilDay(last + 1), tz);
    options.group_by = dims;
    options.comparisons = {fengqiao::v1::PERIOD_KIND_MONTH, fengqiao::v1::PERIOD_KIND_28_DAYS};
    absl::StatusOr<std::unique_ptr<fengqiao::CaseMetrics>> metrics =
        fengqiao::CaseMetrics::Create(map, options);
    if (!metrics.ok()) return metrics.status();
    (*metrics)->AddAll(records);
    if (format == OutputFormat::kJson) {
      std::string json;
      google::protobuf::util::JsonPrintOptions json_options;
      json_options.preserve_proto_field_names = true;
      const auto printed =
          google::protobuf::util::MessageToJsonString((*metrics)->Report(), &json, json_options);
      if (!printed.ok()) {
        return absl::InternalError(absl::StrCat("metrics report as JSON: ", printed.ToString()));
      }
      fmt::print("{}\n", json);
      continue;
    }
    fmt::print("\n{}", FormatCompStat((*metrics)->Report()));
  }
  if (format == OutputFormat::kJson) return absl::OkStatus();
  fmt::print(
      "  (8min: on site within 8 minutes, open overdue cases counted late; acc1min: accepted "
      "within 1 minute; disp: 处置率; med: 调解率; satis: 满意率; c2c: 民转刑; p50/p90 h: hours "
      "to resolve; month / 28_da(ys): change of incident counts, yoy 同比 and pop 环比, n/a(N/0) "
      "when the "
      "baseline is zero)\n");
  return absl::OkStatus();
}

namespace {

// DIMS: comma-separated dimension names, parsed by the one parse function of the vocabulary
// (short names such as "street", the labels, or the proto names).
absl::StatusOr<std::vector<fengqiao::v1::Dimension>> ParseDims(absl::string_view text) {
  std::vector<fengqiao::v1::Dimension> dims;
  for (absl::string_view name : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    absl::StatusOr<fengqiao::v1::Dimension> d = fengqiao::ParseEnum<fengqiao::v1::Dimension>(name);
    if (!d.ok()) return d.status();
    dims.push_back(*d);
  }
  return dims;
}

// `fengqiao metrics CASES.db GRID_MAP [DIMS]`: the CompStat sheet of a case store.
int Metrics(const std::string& db, const std::string& map_path, const std::string& dims_text) {
  absl::StatusOr<std::shared_ptr<const fengqiao::GridMap>> map = fengqiao::GridMap::Load(map_path);
  if (!map.ok()) return Fail(map.status());
  std::error_code error;
  if (!std::filesystem::exists(db, error)) {
    return Fail(absl::NotFoundError(db + ": no such case store"));
  }
  if (std::filesystem::is_directory(db, error)) {
    return Fail(absl::InvalidArgumentError(db + ": a directory, not a case store"));
  }
  absl::StatusOr<std::unique_ptr<fengqiao::SqliteCaseStore>> store =
      fengqiao::SqliteCaseStore::Open(db);
  if (!store.ok()) return Fail(store.status());
  absl::StatusOr<std::vector<fengqiao::v1::Dimension>> dims = ParseDims(dims_text);
  if (!dims.ok()) return Fail(dims.status());
  absl::Status printed = PrintMetrics(**store, **map, {{}, *dims}, absl::GetFlag(FLAGS_format));
  if (!printed.ok()) return Fail(printed);
  return 0;
}

int RunMetrics(const std::vector<std::string>& args) {
  return Metrics(args[0], args[1], args.size() > 2 ? args[2] : "street");
}

}  // namespace

const Command& MetricsCommand() {
  static const Command* const command = new Command{
      .name = "metrics",
      .args = {"CASES.db", "GRID_MAP", "[DIMS]"},
      .flags = {"format=text|json"},
      .summary = "the CompStat sheet of a case store",
      .description =
          "Reads every case of the SQLite case store CASES.db (as `district --db` writes it),\n"
          "builds case records against GRID_MAP and prints the CompStat sheets of the months\n"
          "they span: overall, then grouped by DIMS, a comma-separated list of grid, community,\n"
          "street, district, category, channel, tier, force (default street).\n"
          "With --format=json, one line per sheet (overall first): the fengqiao.v1.MetricsReport\n"
          "in protobuf's JSON mapping.\n"
          "Exit 0 on success, 1 when a file does not load or the store holds no cases.\n",
      .run = RunMetrics,
  };
  return *command;
}

}  // namespace fengqiao::tools
