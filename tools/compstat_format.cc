#include "tools/compstat_format.h"

#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "fengqiao/metrics/department_scorecard.h"
#include "fengqiao/time_zone.h"
#include "fengqiao/vocabulary.h"
#include "src/internal/text.h"
#include "src/internal/time_util.h"

namespace fengqiao::tools {

namespace {

// The rate named `name`, or for a name ending in "_within_" the first rate of that step,
// whatever its threshold (the library names it after the configured threshold).
const v1::Rate* RateOf(const v1::MetricsGroup& g, absl::string_view name) {
  for (const v1::Rate& r : g.rates()) {
    if (absl::EndsWith(name, "_within_") ? absl::StartsWith(r.name(), name) : r.name() == name) {
      return &r;
    }
  }
  return nullptr;
}

std::string Percent(const v1::MetricsGroup& g, absl::string_view name) {
  const v1::Rate* r = RateOf(g, name);
  if (r == nullptr) return "";
  return r->has_value() ? absl::StrFormat("%.1f%%", 100 * r->value()) : std::string("n/a");
}

// The column title of a threshold rate: its threshold ("8min", "15s"), after `prefix`.
std::string ThresholdTitle(const v1::MetricsReport& report, absl::string_view step,
                           absl::string_view prefix) {
  if (report.groups().empty()) return std::string(prefix);
  const v1::Rate* r = RateOf(report.groups(0), step);
  return r == nullptr ? std::string(prefix) : absl::StrCat(prefix, r->name().substr(step.size()));
}

const v1::Distribution* Dist(const v1::MetricsGroup& g, const std::string& name) {
  for (const v1::Distribution& d : g.distributions()) {
    if (d.name() == name) return &d;
  }
  return nullptr;
}

// A percentile in hours, one decimal, "~" in front when approximate; "n/a" when the distribution
// is empty (no resolved case: no percentile, not 0).
std::string Hours(const v1::Distribution* d, double (v1::Distribution::*percentile)() const) {
  if (d == nullptr || d->count() == 0 || std::isnan((d->*percentile)())) return "n/a";
  return absl::StrFormat("%s%.1f", d->approximate() ? "~" : "", (d->*percentile)() / 3600);
}

// "2026-10-01 to 2026-11-01 (end exclusive)" in the report's own zone (China's when it names
// none or one this machine lacks).
std::string Dates(const std::string& zone, const google::protobuf::Timestamp& start,
                  const google::protobuf::Timestamp& end) {
  absl::TimeZone tz = ChinaTimeZone();
  absl::TimeZone named;
  if (!zone.empty() && absl::LoadTimeZone(zone, &named)) tz = named;
  return absl::StrCat(absl::FormatTime("%Y-%m-%d", internal::ToTime(start), tz), " to ",
                      absl::FormatTime("%Y-%m-%d", internal::ToTime(end), tz), " (end exclusive)");
}

std::string Zh(v1::Department d) { return std::string(LabelOf(d).zh); }

std::string Score(bool has, double score) {
  return has ? absl::StrFormat("%.2f", score) : std::string("n/a");
}

}  // namespace

std::string FormatCompStat(const v1::MetricsReport& report) {
  std::string out;
  absl::StrAppend(&out, report.title(), " (", report.time_zone(), ")");
  if (report.has_period_start() && report.has_period_end()) {
    absl::StrAppend(&out, ", ",
                    Dates(report.time_zone(), report.period_start(), report.period_end()));
  }
  absl::StrAppend(&out, "\n");
  std::string comparison_header;
  if (!report.groups().empty()) {
    for (const v1::PeriodComparison& c : report.groups(0).comparisons()) {
      if (c.measure() == "incidents") {
        absl::StrAppend(
            &comparison_header,
            absl::StrFormat(" %12s", absl::StrCat(c.period().substr(0, 5), " ", c.kind())));
      }
    }
  }
  absl::StrAppend(
      &out, absl::StrFormat("%-36s %6s %7s %7s %7s %7s %7s %7s %8s %8s%s\n",
                            absl::StrJoin(report.group_by(), " x "), "N",
                            ThresholdTitle(report, "arrival_within_", ""),
                            ThresholdTitle(report, "accept_within_", "acc"), "disp", "med", "satis",
                            "c2c", "p50 h", "p90 h", comparison_header));
  for (const v1::MetricsGroup& g : report.groups()) {
    std::vector<std::string> labels;
    for (const std::string& d : report.group_by()) labels.push_back(g.key().at(d));
    std::string label = labels.empty() ? "all" : absl::StrJoin(labels, " / ");
    int64_t n = 0, c2c = 0;
    for (const v1::Rate& r : g.rates()) {
      if (r.name() == "non_police_share") n = r.denominator();
      if (r.name() == "civil_to_criminal") c2c = r.numerator();
    }
    const v1::Distribution* resolve = Dist(g, "resolve_seconds");
    std::string comparisons;
    for (const v1::PeriodComparison& c : g.comparisons()) {
      if (c.measure() != "incidents") continue;
      absl::StrAppend(&comparisons,
                      c.has_percent_change()
                          ? absl::StrFormat(" %+11.1f%%", c.percent_change())
                          : absl::StrFormat(" %12s", absl::StrCat("n/a(", c.current(), "/0)")));
    }
    absl::StrAppend(
        &out, internal::PadRight(label, 36),
        absl::StrFormat(" %6d %7s %7s %7s %7s %7s %7d %8s %8s%s\n", n,
                        Percent(g, "arrival_within_"), Percent(g, "accept_within_"),
                        Percent(g, "disposal_rate"), Percent(g, "mediation_success_rate"),
                        Percent(g, "satisfaction_rate"), c2c,
                        Hours(resolve, &v1::Distribution::p50),
                        Hours(resolve, &v1::Distribution::p90), comparisons));
  }
  return out;
}

}  // namespace fengqiao::tools

namespace fengqiao::tools {

std::string FormatScorecards(const v1::ScorecardReport& report) {
  std::string out = absl::StrCat(
      "部门考核 department scorecards (", report.period(), ", ", report.time_zone(), "), ",
      Dates(report.time_zone(), report.period_start(), report.period_end()), "\n");
  if (report.departments().empty()) return absl::StrCat(out, "  no orders in the period\n");
  // Titles: the indicators of the first department, in the policy's order. Every column is
  // padded by display width (CJK titles are two columns a character).
  auto cell = [](absl::string_view text, size_t width) {
    return absl::StrCat(" ", internal::PadRight(text, width));
  };
  absl::StrAppend(&out, internal::PadRight("部门", 10), cell("工单", 5));
  for (const v1::IndicatorScore& i : report.departments(0).indicators()) {
    absl::StrAppend(&out, cell(LabelOf(i.indicator()).zh, 10));
  }
  absl::StrAppend(&out, cell("得分", 7), cell("排名", 4), " 上期\n");
  for (const v1::DepartmentScore& d : report.departments()) {
    absl::StrAppend(&out, internal::PadRight(Zh(d.department()), 10),
                    cell(absl::StrCat(d.orders()), 5));
    for (const v1::IndicatorScore& i : d.indicators()) {
      std::string value = !i.rate().has_value() ? std::string("n/a")
                          : IsCountIndicator(i.indicator())
                              ? absl::StrCat(i.rate().numerator())
                              : absl::StrFormat("%.1f%%", 100 * i.rate().value());
      if (i.below_threshold()) absl::StrAppend(&value, "*");
      absl::StrAppend(&out, cell(value, 10));
    }
    absl::StrAppend(&out, cell(Score(d.has_score(), d.score()), 7),
                    cell(d.rank() > 0 ? absl::StrCat(d.rank()) : "-", 4), " ",
                    Score(d.has_previous_score(), d.previous_score()), "\n");
  }
  auto list = [&](const char* title, const auto& departments) {
    std::vector<std::string> names;
    for (int d : departments) {
      for (const v1::DepartmentScore& s : report.departments()) {
        if (s.department() == d) {
          names.push_back(absl::StrCat(Zh(s.department()), " ", Score(true, s.score())));
        }
      }
    }
    absl::StrAppend(&out, title, names.empty() ? "(none)" : absl::StrJoin(names, ", "), "\n");
  };
  list("红榜 (red list): ", report.red_list());
  list("黑榜 (black list): ", report.black_list());
  absl::StrAppend(&out, "* below its threshold: scores zero\n");
  return out;
}

}  // namespace fengqiao::tools
