// The content of the briefings: what a station reads, gathered from the case store.
#include "fengqiao/briefing/briefing.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "briefing/internal/briefing_internal.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/incident/incident.h"
#include "fengqiao/metrics/case_metrics.h"
#include "fengqiao/metrics/case_record.h"
#include "fengqiao/privacy/masking.h"
#include "fengqiao/status_macros.h"
#include "fengqiao/vocabulary.h"

namespace fengqiao {
namespace {

using briefing_internal::Cases;
using briefing_internal::Section;
using briefing_internal::Table;

using briefing_internal::WeekdayIndex;

int64_t Seconds(absl::Time t) { return absl::ToUnixSeconds(t); }

bool In(const v1::Case& c, absl::Time start, absl::Time end) {
  const int64_t t = c.incident().reported_at().seconds();
  return t >= Seconds(start) && t < Seconds(end);
}

// The area's name ("临城街道"), its code when the map lacks it.
std::string AreaName(const GridMap& map, const std::string& code) {
  const v1::Area* a = map.Find(code);
  return a == nullptr ? code : a->name();
}

// The responsible person, masked (张*明), with the member id; a department holding the case by
// its Chinese name (the loop names it by its short name: "utilities" -> 水电气); the id alone
// otherwise.
std::string PersonName(const BriefingOptions& options, const std::string& member_id) {
  if (member_id.empty()) return "未指派";
  if (options.roster != nullptr) {
    if (const v1::Member* m = options.roster->FindMember(member_id); m != nullptr) {
      return absl::StrCat(MaskValue(v1::PERSONAL_KIND_NAME, m->name()), "（", member_id, "）");
    }
  }
  if (const absl::StatusOr<v1::Department> d = ParseEnum<v1::Department>(member_id);
      d.ok() && LabelOf(*d).short_name == member_id) {
    return std::string(LabelOf(*d).zh);
  }
  return member_id;
}

std::string Pct(double share) { return absl::StrFormat("%.1f%%", 100 * share); }

BriefingFigure RateFigure(const v1::MetricsGroup& g, const std::string& name,
                          const std::string& label, std::string seed = "") {
  BriefingFigure f;
  f.key = name;
  f.label = label;
  f.is_rate = true;
  f.defined = false;  // until the report holds the rate with a population
  f.seed_value = std::move(seed);
  for (const v1::Rate& r : g.rates()) {
    if (r.name() != name) continue;
    f.n = r.denominator();
    f.defined = r.has_value();
    f.value = r.has_value() ? r.value() : 0;
  }
  return f;
}

BriefingFigure CountFigure(const std::string& key, const std::string& label, int64_t n) {
  return briefing_internal::Count(key, label, n);
}

std::string RateCell(const v1::MetricsGroup& g, const std::string& name) {
  const BriefingFigure f = RateFigure(g, name, name);
  return f.defined ? absl::StrCat(Pct(f.value), "（", f.n, "）") : "无（0）";
}

// One metrics report over [start, end) grouped by `dims`, from the cases' records.
absl::StatusOr<v1::MetricsReport> Report(const GridMap& map, const std::vector<CaseRecord>& records,
                                         absl::Time start, absl::Time end,
                                         const BriefingOptions& options,
                                         std::vector<v1::Dimension> dims,
                                         std::vector<v1::PeriodKind> comparisons = {}) {
  MetricsOptions m;
  m.period_start = start;
  m.period_end = end;
  m.group_by = std::move(dims);
  m.comparisons = std::move(comparisons);
  m.time_zone = options.time_zone;
  FENGQIAO_ASSIGN_OR_RETURN(std::unique_ptr<CaseMetrics> metrics, CaseMetrics::Create(map, m));
  metrics->AddAll(records);
  return metrics->Report();
}

// The figures every briefing states about its window, with the seeds' own figure beside each.
std::vector<BriefingFigure> HeadlineFigures(const v1::MetricsGroup& g, int64_t incidents) {
  return {
      CountFigure("incidents", "警情总数", incidents),
      RateFigure(g, "arrival_within_8min", "8分钟现场到达率", "98%（新城，seed 000）"),
      RateFigure(g, "non_police_share_of_110", "110警情中非警务分流占比",
                 "33.5%（平安小苑，seed 003）"),
      RateFigure(g, "disposal_rate", "处置率", "100%（非警务事项，seed 003）"),
      RateFigure(g, "mediation_success_rate", "矛盾纠纷调解率", "100%（seed 003）"),
      RateFigure(g, "satisfaction_rate", "群众满意率", "98%以上（seed 003）"),
  };
}

std::string PopulationNote(const v1::MetricsGroup& g) {
  int64_t not_on_site = 0;
  for (const v1::Rate& r : g.rates()) {
    if (r.name() == "arrival_within_8min" && r.excluded().contains("no on-site response needed")) {
      not_on_site = r.excluded().at("no on-site response needed");
    }
  }
  return absl::StrCat("括号内为分母N。8分钟现场到达率只计需要到场的警情（另有", not_on_site,
                      "起无需到场，不计入）；非警务分流占比以110警情为分母。");
}

}  // namespace

absl::string_view BriefingKindName(BriefingKind kind) {
  switch (kind) {
    case BriefingKind::kDaily:
      return "daily";
    case BriefingKind::kWeekly:
      return "weekly";
    case BriefingKind::kMonthly:
      return "monthly";
  }
  return "daily";
}

absl::StatusOr<BriefingKind> ParseBriefingKind(absl::string_view name) {
  for (BriefingKind k : {BriefingKind::kDaily, BriefingKind::kWeekly, BriefingKind::kMonthly}) {
    if (name == BriefingKindName(k)) return k;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("\"", name, "\" is not a briefing (daily, weekly, monthly)"));
}

absl::StatusOr<Briefing> MakeBriefing(BriefingKind kind, const CaseStore& store,
                                      const GridMap& grid_map, absl::CivilDay day,
                                      const BriefingOptions& options) {
  if (day.year() < 2000 || day.year() > 2100) {
    return absl::InvalidArgumentError(
        absl::StrCat("briefing: ", absl::FormatCivilTime(day), " is outside 2000..2100"));
  }
  const absl::TimeZone tz = options.time_zone;
  FENGQIAO_ASSIGN_OR_RETURN(Cases cases, briefing_internal::LoadCases(store, grid_map));
  const std::string station = options.station.empty() ? grid_map.proto().name() : options.station;

  Briefing b;
  b.kind = kind;
  absl::CivilDay first = day, last = day;
  if (kind == BriefingKind::kWeekly) {
    first = day - WeekdayIndex(day);
    last = first + 6;
  } else if (kind == BriefingKind::kMonthly) {
    first = absl::CivilDay(absl::CivilMonth(day));
    last = absl::CivilDay(absl::CivilMonth(day) + 1) - 1;
  }
  b.start = absl::FromCivil(first, tz);
  b.end = absl::FromCivil(last + 1, tz);
  // The loop's rules the logs replay under (null: the defaults, with the consultation calendar's
  // working days); states, holders and clocks as they stood at the period's end, whenever the
  // briefing is written.
  std::shared_ptr<const CaseLoopOptions> loop_options = options.loop_options;
  if (loop_options == nullptr) {
    auto defaults = std::make_shared<CaseLoopOptions>();
    defaults->working_calendar = options.consultation.working_calendar;
    loop_options = std::move(defaults);
  }
  FENGQIAO_RETURN_IF_ERROR(briefing_internal::ViewAsOf(cases, b.end, loop_options));
  int64_t incidents = 0;
  for (const v1::Case& c : cases.cases) incidents += In(c, b.start, b.end) ? 1 : 0;

  std::vector<v1::PeriodKind> comparisons;
  if (kind == BriefingKind::kWeekly) comparisons = {v1::PERIOD_KIND_WEEK_TO_DATE};
  if (kind == BriefingKind::kMonthly) comparisons = {v1::PERIOD_KIND_MONTH};
  FENGQIAO_ASSIGN_OR_RETURN(
      b.report, Report(grid_map, cases.records, b.start, b.end, options, {}, comparisons));
  v1::MetricsGroup overall;
  if (b.report.groups_size() > 0) overall = b.report.groups(0);

  switch (kind) {
    case BriefingKind::kDaily: {
      b.title = absl::StrCat(station, " 每日警情研判");
      b.period =
          absl::StrCat(absl::FormatCivilTime(day), "（", briefing_internal::WeekdayName(day), "）");
      b.sections.push_back(briefing_internal::DayByKind(cases, day, tz, incidents));
      b.sections.push_back(briefing_internal::Hotspots(cases, grid_map, b.start, b.end));
      b.sections.push_back(briefing_internal::RepeatParties(cases, b.end, options.repeat_window,
                                                            options.repeat_min_cases));
      b.sections.push_back(briefing_internal::CivilToCriminalRisk(cases, b.end));
      b.sections.push_back(briefing_internal::Overdue(
          cases, b.end, [&](const std::string& id) { return PersonName(options, id); }));
      break;
    }
    case BriefingKind::kWeekly:
    case BriefingKind::kMonthly: {
      const bool weekly = kind == BriefingKind::kWeekly;
      b.title = absl::StrCat(station, weekly ? " 每周工作通报" : " 月度工作通报");
      b.period = absl::StrCat(absl::FormatCivilTime(first), " 至 ", absl::FormatCivilTime(last));
      BriefingSection head = Section(weekly ? "本周概况" : "本月主要指标与标杆");
      head.figures = HeadlineFigures(overall, incidents);
      head.note = PopulationNote(overall);
      for (const v1::PeriodComparison& c : overall.comparisons()) {
        if (c.measure() != "incidents") continue;
        const std::string what = c.kind() == "yoy" ? "同比" : "环比";
        BriefingFigure f =
            CountFigure(absl::StrCat("incidents_", c.kind()),
                        absl::StrCat("警情", what, "（上期 ", c.baseline(), " 起）"), c.current());
        f.is_rate = true;
        f.defined = c.has_percent_change();
        f.value = c.has_percent_change() ? c.percent_change() / 100 : 0;
        f.n = c.baseline();
        head.figures.push_back(f);
      }
      b.sections.push_back(head);
      const v1::Dimension area_dim = weekly ? v1::DIMENSION_COMMUNITY : v1::DIMENSION_STREET;
      FENGQIAO_ASSIGN_OR_RETURN(v1::MetricsReport by_area, Report(grid_map, cases.records, b.start,
                                                                  b.end, options, {area_dim}));
      BriefingSection areas = Section(weekly ? "各社区情况" : "各街道情况");
      BriefingTable t = Table(
          "", {weekly ? "社区" : "街道", "警情", "8分钟到达率（N）", "处置率（N）", "满意率（N）"});
      const std::string dim_name(LabelOf(area_dim).short_name);
      for (const v1::MetricsGroup& g : by_area.groups()) {
        int64_t n = 0;
        for (const v1::Rate& r : g.rates()) {
          if (r.name() == "non_police_share") n = r.denominator();
        }
        t.rows.push_back({AreaName(grid_map, g.key().at(dim_name)), absl::StrCat(n),
                          RateCell(g, "arrival_within_8min"), RateCell(g, "disposal_rate"),
                          RateCell(g, "satisfaction_rate")});
      }
      areas.tables.push_back(std::move(t));
      areas.note = "括号内为分母N；“无（0）”表示没有可计算的案件，不是0%。";
      b.sections.push_back(std::move(areas));
      if (weekly) {
        b.sections.push_back(briefing_internal::PerPerson(
            cases, b.start, b.end, [&](const std::string& id) { return PersonName(options, id); }));
        b.sections.push_back(briefing_internal::DepartmentReturns(cases, b.start, b.end));
        b.sections.push_back(briefing_internal::Supervision(
            cases, b.start, b.end, [&](const std::string& id) { return PersonName(options, id); }));
        b.sections.push_back(briefing_internal::Overdue(
            cases, b.end, [&](const std::string& id) { return PersonName(options, id); }));
        // The departments' month so far, of the month the week starts in: a week that runs
        // into the next month shows the month it closes, not that month's first days.
        const absl::Time month_end =
            absl::FromCivil(absl::CivilDay(absl::CivilMonth(first) + 1), tz);
        FENGQIAO_ASSIGN_OR_RETURN(BriefingSection cards,
                                  briefing_internal::Scorecards(cases, std::min(b.end, month_end),
                                                                options.scorecard_policy, tz));
        b.sections.push_back(std::move(cards));
        ConsultationCalendarOptions calendar = options.consultation;
        calendar.time_zone = tz;
        FENGQIAO_ASSIGN_OR_RETURN(BriefingSection agendas,
                                  briefing_internal::Agendas(cases, grid_map, b.start, b.end,
                                                             calendar, [&](const std::string& id) {
                                                               return PersonName(options, id);
                                                             }));
        b.sections.push_back(std::move(agendas));
      } else {
        FENGQIAO_ASSIGN_OR_RETURN(
            BriefingSection cards,
            briefing_internal::Scorecards(cases, b.end, options.scorecard_policy, tz));
        b.sections.push_back(std::move(cards));
        b.sections.push_back(briefing_internal::CivilToCriminalCases(cases, b.start, b.end));
        b.sections.push_back(briefing_internal::MonthlyTrend(cases, absl::CivilMonth(day), tz));
      }
      break;
    }
  }
  return b;
}

}  // namespace fengqiao
