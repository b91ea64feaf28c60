// Internal: the sections of the briefings (briefing_sections.cc) and the charts they draw
// (charts.cc), each a function of the store's cases.
#ifndef FENGQIAO_SRC_BRIEFING_INTERNAL_BRIEFING_INTERNAL_H_
#define FENGQIAO_SRC_BRIEFING_INTERNAL_BRIEFING_INTERNAL_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "fengqiao/briefing/briefing.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/mediation/consultation_calendar.h"
#include "fengqiao/metrics/case_record.h"
#include "fengqiao/store/case_store.h"
#include "fengqiao/v1/case.pb.h"
#include "internal/time_util.h"

namespace fengqiao::briefing_internal {

// Every case of the store in report order (ties by id), with its metrics record.
struct Cases {
  std::vector<v1::Case> cases;
  std::vector<CaseRecord> records;
  // The 民转刑 the records mark, with the dispute each grew out of.
  std::vector<CivilToCriminalLink> civil_to_criminal;
  // The first report time the store holds: periods before it have no data (not zero incidents).
  absl::Time covered_from = absl::InfiniteFuture();
};
absl::StatusOr<Cases> LoadCases(const CaseStore& store, const GridMap& grid_map);
// Each case reported before `end` as it stood just before `end` (CaseLoop::AsOf under
// `loop_options`): a briefing of a past period shows the states, holders and clocks of its last
// moment, not today's. The records (metrics) keep the whole log: they reckon as of `end` too.
absl::Status ViewAsOf(Cases& cases, absl::Time end,
                      const std::shared_ptr<const CaseLoopOptions>& loop_options);

using NameOf = std::function<std::string(const std::string& member_id)>;

// Monday 0 .. Sunday 6, and the day's Chinese name (星期一 .. 星期日).
inline int WeekdayIndex(absl::CivilDay d) { return internal::IsoWeekday(d) - 1; }
inline const char* WeekdayName(absl::CivilDay d) {
  static constexpr const char* kNames[] = {"星期一", "星期二", "星期三", "星期四",
                                           "星期五", "星期六", "星期日"};
  return kNames[WeekdayIndex(d)];
}

// Builders (aggregate initialisers that leave fields out draw -Wmissing-field-initializers).
inline BriefingSection Section(std::string title) {
  BriefingSection s;
  s.title = std::move(title);
  return s;
}
inline BriefingTable Table(std::string title, std::vector<std::string> header) {
  BriefingTable t;
  t.title = std::move(title);
  t.header = std::move(header);
  return t;
}
inline BriefingFigure Count(std::string key, std::string label, int64_t n) {
  BriefingFigure f;
  f.key = std::move(key);
  f.label = std::move(label);
  f.value = static_cast<double>(n);
  f.n = n;
  return f;
}

// Daily sections.
BriefingSection DayByKind(const Cases& cases, absl::CivilDay day, absl::TimeZone tz,
                          int64_t incidents);
BriefingSection Hotspots(const Cases& cases, const GridMap& grid_map, absl::Time start,
                         absl::Time end);
BriefingSection RepeatParties(const Cases& cases, absl::Time end, absl::Duration window,
                              int min_cases);
BriefingSection CivilToCriminalRisk(const Cases& cases, absl::Time end);
BriefingSection Overdue(const Cases& cases, absl::Time now, const NameOf& name_of);
// Weekly and monthly sections.
BriefingSection PerPerson(const Cases& cases, absl::Time start, absl::Time end,
                          const NameOf& name_of);
BriefingSection DepartmentReturns(const Cases& cases, absl::Time start, absl::Time end);

// Supervision (督办) in [start, end): the steps the centre took, by step, and the open orders
// supervised above the platform (提级督办) with the body that has them.
BriefingSection Supervision(const Cases& cases, absl::Time start, absl::Time end,
                            const NameOf& name_of);
// The 民转刑 of the window, each with the dispute it grew out of, for review.
// The departments' scorecards (部门考核) of the policy's period ending at `end`, with the red and
// black lists; titles from the protos' labels.
absl::StatusOr<BriefingSection> Scorecards(const Cases& cases, absl::Time end,
                                           const v1::ScorecardPolicy& policy, absl::TimeZone tz);
BriefingSection CivilToCriminalCases(const Cases& cases, absl::Time start, absl::Time end);
BriefingSection MonthlyTrend(const Cases& cases, absl::CivilMonth month, absl::TimeZone tz);
// The "512" agendas after the week [start, end): the Friday walk (the grids to visit: the week's
// most incidents, per street), the Monday street consultation (open community-level cases past
// their resolve deadline at the week's end, per street) and the Tuesday district consultation
// (open street-level cases past theirs), each dated by the consultation calendar. The cases are
// as they stood at the week's end (ViewAsOf).
absl::StatusOr<BriefingSection> Agendas(const Cases& cases, const GridMap& grid_map,
                                        absl::Time start, absl::Time end,
                                        const ConsultationCalendarOptions& calendar,
                                        const NameOf& name_of);

// Charts (inline SVG, sized for an A4 page's text width of 680 px).
// Grid polygons filled by count (white to dark red), the legend below the map, never over it.
std::string ChoroplethSvg(const GridMap& grid_map,
                          const std::vector<std::pair<std::string, int64_t>>& grid_counts);
// A line of counts over labelled points; the y axis spans where the data is (not from 0 when
// the values are far from it), each point labelled with its value.
std::string LineChartSvg(const std::vector<std::string>& labels, const std::vector<int64_t>& values,
                         const std::string& y_title);
// Text escaped for HTML / SVG.
std::string Escape(absl::string_view text);

}  // namespace fengqiao::briefing_internal

#endif  // FENGQIAO_SRC_BRIEFING_INTERNAL_BRIEFING_INTERNAL_H_
