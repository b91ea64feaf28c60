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
#include "fengqiao/store/sqlite_case_store.h"
#include "fmt/core.h"
#include "google/protobuf/util/json_util.h"
#include "tools/commands.h"

ABSL_FLAG(fengqiao::tools::OutputFormat, format, fengqiao::tools::OutputFormat::kText,
          "text: the CompStat sheets as tables; json: one line per sheet, the "
          "fengqiao.v1.MetricsReport in protobuf's JSON mapping (field names as in the proto)");

namespace fengqiao::tools {

absl::Status PrintMetrics(const fengqiao::CaseStore& store, const fengqiao::GridMap& map,
                          const std::vector<std::vector<fengqiao::Dimension>>& groupings,
                          OutputFormat format) {
  absl::StatusOr<std::vector<std::string>> ids = store.Find(fengqiao::CaseQuery());
  if (!ids.ok()) return ids.status();
  std::vector<fengqiao::v1::Case> cases;
  cases.reserve(ids->size());
  for (const std::string& id : *ids) {
    absl::StatusOr<fengqiao::v1::Case> c = store.Get(id);
    if (!c.ok()) return c.status();
    cases.push_back(*std::move(c));
  }
  if (cases.empty()) return absl::NotFoundError("the case store holds no cases");
  std::stable_sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) {
    return a.incident().reported_at().seconds() < b.incident().reported_at().seconds();
  });
  fengqiao::CaseRecordBuilder builder(map);
  std::vector<fengqiao::CaseRecord> records;
  for (const auto& c : cases) records.push_back(builder.Add(c));
  // The calendar months the records span, in China Standard Time.
  const absl::TimeZone tz = absl::FixedTimeZone(8 * 3600);
  const absl::CivilMonth first(
      absl::ToCivilDay(absl::FromUnixSeconds(records.front().reported_at), tz));
  const absl::CivilMonth last(
      absl::ToCivilDay(absl::FromUnixSeconds(records.back().reported_at), tz));
  for (const auto& dims : groupings) {
    fengqiao::MetricsOptions options;
    options.period_start = absl::FromCivil(absl::CivilDay(first), tz);
    options.period_end = absl::FromCivil(absl::CivilDay(last + 1), tz);
    options.group_by = dims;
    options.comparisons = {fengqiao::PeriodKind::kMonth, fengqiao::PeriodKind::kDays28};
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
    fmt::print("\n{}", fengqiao::FormatCompStat((*metrics)->Report()));
  }
  if (format == OutputFormat::kJson) return absl::OkStatus();
  fmt::print(
      "  (8min: on site within 8 minutes, open overdue cases counted late; acc1m: accepted "
      "within 1 minute; disp: 处置率; med: 调解率; satis: 满意率; c2c: 民转刑; p50/p90 h: hours "
      "to resolve; month / 28_da(ys): change of incident counts, yoy 同比 and pop 环比, n/a(N/0) "
      "when the "
      "baseline is zero)\n");
  return absl::OkStatus();
}

namespace {

std::vector<fengqiao::Dimension> ParseDims(absl::string_view text, bool* ok) {
  std::vector<fengqiao::Dimension> dims;
  *ok = true;
  for (absl::string_view name : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    bool found = false;
    for (auto d :
         {fengqiao::Dimension::kGrid, fengqiao::Dimension::kCommunity, fengqiao::Dimension::kStreet,
          fengqiao::Dimension::kDistrict, fengqiao::Dimension::kCategory,
          fengqiao::Dimension::kChannel, fengqiao::Dimension::kTier, fengqiao::Dimension::kForce}) {
      if (fengqiao::DimensionName(d) == name) {
        dims.push_back(d);
        found = true;
      }
    }
    *ok &= found;
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
  bool ok = true;
  std::vector<fengqiao::Dimension> dims = ParseDims(dims_text, &ok);
  if (!ok) {
    return Fail(absl::InvalidArgumentError(
        "dimensions are grid, community, street, district, category, channel, tier, force"));
  }
  absl::Status printed = PrintMetrics(**store, **map, {{}, dims}, absl::GetFlag(FLAGS_format));
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
