// `fengqiao brief daily|weekly|monthly CASES.db GRID_MAP --date=YYYY-MM-DD`: the station's
// briefings as HTML and Markdown files.
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "fengqiao/briefing/briefing.h"
#include "fengqiao/closure/work_order_policy.h"
#include "fengqiao/force/roster.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/mediation/working_calendar.h"
#include "fengqiao/metrics/scorecard_policy.h"
#include "fengqiao/store/sqlite_case_store.h"
#include "fmt/core.h"
#include "tools/commands.h"

ABSL_FLAG(std::optional<fengqiao::tools::FlagDate>, date, std::nullopt,
          "the day of the briefing (daily), a day of its week (weekly, Monday to Sunday) or of "
          "its month (monthly), in the district's zone; required");
ABSL_FLAG(std::string, out, ".", "the folder the .html and .md files are written to");
ABSL_FLAG(std::string, station, "",
          "the station's name in the title (the grid map's name when empty)");
ABSL_FLAG(std::string, calendar, "",
          "the State Council's holiday schedule (fengqiao.v1.HolidaySchedule, e.g. "
          "examples/data/calendar/holidays.textproto): a \"512\" meeting on a public holiday "
          "moves to the next working day; weekly rhythm when empty");

namespace fengqiao::tools {
namespace {

absl::Status WriteFile(const std::filesystem::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) return absl::PermissionDeniedError(absl::StrCat(path.string(), ": cannot write"));
  return absl::OkStatus();
}

int Brief(const std::string& kind_name, const std::string& db, const std::string& map_path) {
  const absl::StatusOr<fengqiao::BriefingKind> kind = fengqiao::ParseBriefingKind(kind_name);
  if (!kind.ok()) return Fail(kind.status());
  const std::optional<FlagDate> date = absl::GetFlag(FLAGS_date);
  if (!date.has_value()) return Fail(absl::InvalidArgumentError("--date is required"));
  std::error_code error;
  if (!std::filesystem::exists(db, error)) {
    return Fail(absl::NotFoundError(db + ": no such case store"));
  }
  absl::StatusOr<std::shared_ptr<const fengqiao::GridMap>> map = fengqiao::GridMap::Load(map_path);
  if (!map.ok()) return Fail(map.status());
  fengqiao::BriefingOptions options;
  options.station = absl::GetFlag(FLAGS_station);
  absl::StatusOr<std::shared_ptr<const fengqiao::Roster>> roster_or = RosterFromFlag(*map);
  if (!roster_or.ok()) return Fail(roster_or.status());
  const std::shared_ptr<const fengqiao::Roster> roster = *roster_or;
  options.roster = roster.get();
  if (const std::string calendar = absl::GetFlag(FLAGS_calendar); !calendar.empty()) {
    absl::StatusOr<std::shared_ptr<const fengqiao::WorkingCalendar>> working =
        fengqiao::WorkingCalendar::Load(calendar);
    if (!working.ok()) return Fail(working.status());
    options.consultation.working_calendar = *std::move(working);
  }
  // The loop's rules the cases were recorded under, from the district's folder beside the grid
  // map (its holidays, or --calendar, and its rules of work for orders): the agendas replay logs.
  absl::StatusOr<std::shared_ptr<const fengqiao::CaseLoopOptions>> rules =
      fengqiao::LoadDistrictRules(std::filesystem::path(map_path).parent_path().string(),
                                  absl::GetFlag(FLAGS_calendar));
  if (!rules.ok()) return Fail(rules.status());
  options.loop_options = *std::move(rules);
  // How the departments are scored (DIR/scorecard.textproto beside the grid map, when present).
  absl::StatusOr<fengqiao::v1::ScorecardPolicy> scoring =
      fengqiao::LoadDistrictScorecardPolicy(std::filesystem::path(map_path).parent_path().string());
  if (!scoring.ok()) return Fail(scoring.status());
  options.scorecard_policy = *std::move(scoring);
  absl::StatusOr<std::unique_ptr<fengqiao::SqliteCaseStore>> store =
      OpenCaseStore(db, /*read_only=*/true);
  if (!store.ok()) return Fail(store.status());
  absl::StatusOr<fengqiao::Briefing> briefing =
      fengqiao::MakeBriefing(*kind, **store, **map, date->day, options);
  if (!briefing.ok()) return Fail(briefing.status());
  const std::filesystem::path folder = absl::GetFlag(FLAGS_out);
  if (!std::filesystem::is_directory(folder, error)) {
    return Fail(absl::NotFoundError(absl::StrCat(folder.string(), ": no such folder")));
  }
  const std::string stem = absl::StrCat("brief-", kind_name, "-", absl::FormatCivilTime(date->day));
  for (const auto& [suffix, content] :
       {std::pair<std::string, std::string>{".html", fengqiao::RenderHtml(*briefing)},
        std::pair<std::string, std::string>{".md", fengqiao::RenderMarkdown(*briefing)}}) {
    const std::filesystem::path path = folder / (stem + suffix);
    if (const absl::Status written = WriteFile(path, content); !written.ok()) return Fail(written);
    fmt::print("{}\n", path.string());
  }
  return kExitOk;
}

int RunBrief(const std::vector<std::string>& args) { return Brief(args[0], args[1], args[2]); }

}  // namespace

const Command& BriefCommand() {
  static const Command* const command = new Command{
      .name = "brief",
      .args = {"daily|weekly|monthly", "CASES.db", "GRID_MAP"},
      .flags = {"date=YYYY-MM-DD", "roster=ROSTER", "calendar=HOLIDAYS", "out=DIR", "station=NAME",
                "db_key_file=FILE"},
      .summary = "write a station briefing (研判 / 通报) as HTML and Markdown",
      .description =
          "Reads the case store CASES.db (read-only) and writes the briefing for --date:\n"
          "  daily    每日警情研判: the day's incidents by kind against the same weekday of the\n"
          "           four weeks before, hotspot grids (a map), repeat parties, disputes at risk\n"
          "           of 民转刑, cases overdue at the day's end with their 责任人;\n"
          "  weekly   每周工作通报 (Monday to Sunday): the week's figures with N, 同比 / 环比, "
          "per\n"
          "           community, per responsible person, department diversions and returns,\n"
          "           the \"512\" agendas: Friday's walk, the Monday street and Tuesday district\n"
          "           consultations with the overdue cases of each level (--calendar moves a\n"
          "           meeting off a public holiday);\n"
          "  monthly  月度工作通报: the month's figures beside the seeds' headline rates, the\n"
          "           trend over 13 months, per street.\n"
          "Writes DIR/brief-KIND-DATE.html (one self-contained A4 page: inline CSS and SVG, no\n"
          "script, no network) and DIR/brief-KIND-DATE.md, and prints their paths. Names are\n"
          "masked. Exit 0 when written, 1 when an input does not load or a file cannot be\n"
          "written.\n",
      .run = RunBrief,
  };
  return *command;
}

}  // namespace fengqiao::tools
