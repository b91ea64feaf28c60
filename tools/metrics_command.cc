// `fengqiao metrics CASES.db GRID_MAP [DIMS]`: the CompStat sheet of a case store.
#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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

namespace {

// The sheets as one CSV table: `sheet` (overall, or the dimensions joined by "x"), a column per
// dimension of any sheet (empty where a sheet does not group by it), then per rate its value,
// numerator and denominator and per distribution p50 / p90 / p95 (seconds) and n; empty where a
// value is absent (a rate over nothing, an empty distribution).
void PrintCsv(const std::vector<fengqiao::v1::MetricsReport>& sheets) {
  std::vector<std::string> dims;
  for (const auto& sheet : sheets) {
    for (const std::string& d : sheet.group_by()) {
      if (std::find(dims.begin(), dims.end(), d) == dims.end()) dims.push_back(d);
    }
  }
  std::vector<std::string> header = {"sheet"};
  header.insert(header.end(), dims.begin(), dims.end());
  std::vector<std::string> rates, distributions;
  for (const auto& sheet : sheets) {
    for (const auto& group : sheet.groups()) {
      for (const auto& r : group.rates()) {
        if (std::find(rates.begin(), rates.end(), r.name()) == rates.end()) {
          rates.push_back(r.name());
        }
      }
      for (const auto& d : group.distributions()) {
        if (std::find(distributions.begin(), distributions.end(), d.name()) ==
            distributions.end()) {
          distributions.push_back(d.name());
        }
      }
    }
  }
  for (const std::string& r : rates) {
    for (const char* part : {"", "_num", "_den"}) header.push_back(absl::StrCat(r, part));
  }
  for (const std::string& d : distributions) {
    for (const char* part : {"_p50", "_p90", "_p95", "_n"}) header.push_back(absl::StrCat(d, part));
  }
  fmt::print("{}\n", CsvLine(header));
  for (const auto& sheet : sheets) {
    const std::string name =
        sheet.group_by().empty() ? "overall" : absl::StrJoin(sheet.group_by(), "x");
    for (const auto& group : sheet.groups()) {
      std::vector<std::string> row = {name};
      for (const std::string& d : dims) {
        auto it = group.key().find(d);
        row.push_back(it == group.key().end() ? "" : it->second);
      }
      for (const std::string& name_r : rates) {
        const fengqiao::v1::Rate* rate = nullptr;
        for (const auto& r : group.rates()) {
          if (r.name() == name_r) rate = &r;
        }
        row.push_back(rate != nullptr && rate->has_value() ? fmt::format("{:.6g}", rate->value())
                                                           : "");
        row.push_back(rate != nullptr ? absl::StrCat(rate->numerator()) : "");
        row.push_back(rate != nullptr ? absl::StrCat(rate->denominator()) : "");
      }
      for (const std::string& name_d : distributions) {
        const fengqiao::v1::Distribution* dist = nullptr;
        for (const auto& d : group.distributions()) {
          if (d.name() == name_d) dist = &d;
        }
        row.push_back(dist != nullptr && dist->has_p50() ? fmt::format("{:.1f}", dist->p50()) : "");
        row.push_back(dist != nullptr && dist->has_p90() ? fmt::format("{:.1f}", dist->p90()) : "");
        row.push_back(dist != nullptr && dist->has_p95() ? fmt::format("{:.1f}", dist->p95()) : "");
        row.push_back(dist != nullptr ? absl::StrCat(dist->count()) : "");
      }
      fmt::print("{}\n", CsvLine(row));
    }
  }
}

}  // namespace

absl::Status PrintMetrics(const fengqiao::CaseStore& store, const fengqiao::GridMap& map,
                          const std::vector<std::vector<fengqiao::v1::Dimension>>& groupings,
                          OutputFormat format, bool newest_month_only) {
  absl::StatusOr<fengqiao::CaseRecordTable> table = fengqiao::ReadCaseRecords(store, map);
  if (!table.ok()) return table.status();
  const std::vector<fengqiao::CaseRecord>& records = table->records;
  if (records.empty()) return absl::NotFoundError("the case store holds no cases");
  // The calendar months the records span, in China's time zone (the metrics' default).
  const absl::TimeZone tz = fengqiao::ChinaTimeZone();
  const absl::CivilMonth last(
      absl::ToCivilDay(absl::FromUnixSeconds(records.back().reported_at), tz));
  const absl::CivilMonth first = newest_month_only
                                     ? last
                                     : absl::CivilMonth(absl::ToCivilDay(
                                           absl::FromUnixSeconds(records.front().reported_at), tz));
  absl::StatusOr<int> threads = ThreadsFromFlag();
  if (!threads.ok()) return threads.status();
  std::vector<fengqiao::v1::MetricsReport> sheets;
  for (const auto& dims : groupings) {
    fengqiao::MetricsOptions options;
    options.threads = *threads;  // the same sheets on any number (CaseMetrics)
    options.period_start = absl::FromCivil(absl::CivilDay(first), tz);
    options.period_end = absl::FromCivil(absl::CivilDay(last + 1), tz);
    options.group_by = dims;
    options.comparisons = {fengqiao::v1::PERIOD_KIND_MONTH, fengqiao::v1::PERIOD_KIND_28_DAYS};
    absl::StatusOr<std::unique_ptr<fengqiao::CaseMetrics>> metrics =
        fengqiao::CaseMetrics::Create(map, options);
    if (!metrics.ok()) return metrics.status();
    (*metrics)->AddAll(records);
    if (format == OutputFormat::kCsv) {
      sheets.push_back((*metrics)->Report());
      continue;
    }
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
  if (format == OutputFormat::kCsv) PrintCsv(sheets);
  if (format != OutputFormat::kText) return absl::OkStatus();
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
      OpenCaseStore(db, /*read_only=*/false);
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
      .flags = {"format=text|json|csv", "db_key_file=FILE", "threads=N"},
      .summary = "the CompStat sheet of a case store",
      .description =
          "Reads every case of the SQLite case store CASES.db (as `district --db` writes it),\n"
          "builds case records against GRID_MAP and prints the CompStat sheets of the months\n"
          "they span: overall, then grouped by DIMS, a comma-separated list of grid, community,\n"
          "street, district, category, channel, tier, force (default street).\n"
          "With --format=json, one line per sheet (overall first): the fengqiao.v1.MetricsReport\n"
          "in protobuf's JSON mapping.\n"
          "With --format=csv, one table: a row per group of every sheet, `sheet` naming it,\n"
          "a column per dimension, then per rate value / _num / _den and per duration\n"
          "_p50 / _p90 / _p95 (seconds) / _n; an empty cell where there is no value.\n"
          "The records are counted on --threads threads (default: every core); the sheets do\n"
          "not depend on it.\n"
          "Exit 0 on success, 1 when a file does not load or the store holds no cases.\n",
      .run = RunMetrics,
  };
  return *command;
}

}  // namespace fengqiao::tools
