// File: fengqiao/briefing/briefing.h
// Briefings a station reads (研判 and 通报), generated from the case store: the daily 每日警情研判
// (the day's incidents by kind against the same weekday's average, hotspot grids on a map of the
// grid polygons, repeat parties, disputes at risk of turning criminal 民转刑, what is overdue now
// with its 责任人), the weekly 通报 (the week's figures with their N, per community and per person,
// department returns, the departments' scorecards (部门考核), the "512" agendas of the meetings
// after the week) and the monthly (the month's figures beside the seeds' headline rates, the trend
// over 13 months, per street). Each is one self-contained HTML page (inline CSS and SVG, no script,
// no network, A4 portrait) and the same content as Markdown. Labels are Chinese; names and phone
// numbers are masked (张*明); every rate shows its N.
//
//   #include "fengqiao/store/memory_case_store.h"
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::GridMap> grid_map,
//                             fengqiao::GridMap::Load("examples/data/grid_map.textproto"));
//   fengqiao::MemoryCaseStore store;  // empty: a briefing that says so
//   FENGQIAO_ASSIGN_OR_RETURN(
//       fengqiao::Briefing daily,
//       fengqiao::MakeBriefing(fengqiao::BriefingKind::kDaily, store, *grid_map,
//                              absl::CivilDay(2026, 10, 14)));
//   const std::string html = fengqiao::RenderHtml(daily);
//   if (html.find("每日警情研判") == std::string::npos) return absl::InternalError("title");
//
// Thread safety: MakeBriefing reads the store (whose methods are thread-safe); the results are
// values.
#ifndef FENGQIAO_BRIEFING_BRIEFING_H_
#define FENGQIAO_BRIEFING_BRIEFING_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/force/roster.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/mediation/consultation_calendar.h"
#include "fengqiao/store/case_store.h"
#include "fengqiao/time_zone.h"
#include "fengqiao/v1/metrics.pb.h"

namespace fengqiao {

enum class BriefingKind { kDaily, kWeekly, kMonthly };

struct BriefingOptions {
  // The district's zone: days, weeks (Monday to Sunday) and months are taken in it.
  absl::TimeZone time_zone = ChinaTimeZone();
  // Printed in the title, e.g. "新城派出所"; the grid map's name when empty.
  std::string station;
  // Names of the responsible persons (责任人), masked; member ids when null.
  const Roster* roster = nullptr;
  // Repeat parties: the same person in this many cases or more within `repeat_window`.
  int repeat_min_cases = 2;
  absl::Duration repeat_window = absl::Hours(24 * 30);
  // The "512" meetings whose agendas the weekly 通报 sets (Friday walk, Monday street and Tuesday
  // district consultations). With a working calendar a meeting on a public holiday moves to the
  // next working day; its time zone is replaced by `time_zone` above.
  ConsultationCalendarOptions consultation;
  // The closure loop's rules the cases were recorded under (working calendar, caps, supervision):
  // every briefing replays each log to its period's end under them (CaseLoop::AsOf), so a past
  // day's 超期未办, 三色预警, 督办 and agendas show the cases as they stood then, not today. Null:
  // the defaults, with `consultation`'s working calendar for working-day clocks; a log that
  // does not replay under them is DataLoss naming the case.
  std::shared_ptr<const CaseLoopOptions> loop_options;
  // How the departments are scored on their orders (部门考核, fengqiao/metrics/
  // department_scorecard.h): the weekly and monthly 通报 show the scorecards of the policy's
  // period ending at their end (in a weekly: the month the week starts in, to the week's end or
  // the month's, whichever is first). Unset fields: the defaults.
  v1::ScorecardPolicy scorecard_policy;
};

// A figure the briefing states, with its population: `value` of `n` (a rate's denominator, a
// count's own number). `key` names it for programs ("arrival_within_8min", "incidents").
struct BriefingFigure {
  std::string key;
  std::string label;  // Chinese: "8分钟现场到达率"
  double value = 0;   // a share (0..1) when is_rate, else a count
  bool is_rate = false;
  bool defined = true;  // false: no population (n = 0), printed "无" not 0%
  int64_t n = 0;
  std::string seed_value;  // the seeds' figure for the same measure, when they give one
};

struct BriefingTable {
  std::string title;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::string empty_text = "无";  // printed instead of an empty table
};

struct BriefingSection {
  std::string title;
  std::vector<BriefingFigure> figures;
  std::vector<BriefingTable> tables;
  std::string svg;   // a chart (inline SVG), or empty
  std::string note;  // one line under the section: populations, what was left out
};

struct Briefing {
  BriefingKind kind = BriefingKind::kDaily;
  std::string title;      // "新城派出所 每日警情研判"
  std::string period;     // "2026-10-14（星期三）"
  absl::Time start, end;  // [start, end) in the options' zone
  std::vector<BriefingSection> sections;
  // The metrics of [start, end), one group: the figures above come from it.
  v1::MetricsReport report;
};

// The briefing of `kind` for the day, week (Monday..Sunday) or month holding `day`.
// InvalidArgument for a day outside 2000..2100; the store's errors (DataLoss, ...) as they come.
absl::StatusOr<Briefing> MakeBriefing(BriefingKind kind, const CaseStore& store,
                                      const GridMap& grid_map, absl::CivilDay day,
                                      const BriefingOptions& options = {});

// One self-contained HTML page: inline CSS (A4 portrait, print-ready) and SVG, no script, no
// external resource. Figures carry data-figure / data-n attributes with their key and N.
std::string RenderHtml(const Briefing& briefing);
// The same content as Markdown (tables as pipe tables; charts left out, named).
std::string RenderMarkdown(const Briefing& briefing);

// "daily" / "weekly" / "monthly".
absl::string_view BriefingKindName(BriefingKind kind);
// Parses those names; InvalidArgument naming the choices otherwise.
absl::StatusOr<BriefingKind> ParseBriefingKind(absl::string_view name);

}  // namespace fengqiao

#endif  // FENGQIAO_BRIEFING_BRIEFING_H_
