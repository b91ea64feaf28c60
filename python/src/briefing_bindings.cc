// fengqiao._core: the station's briefings (研判 / 通报) from a case store.
#include "absl/time/civil_time.h"
#include "bindings.h"
#include "fengqiao/briefing/briefing.h"
#include "fengqiao/closure/work_order_policy.h"
#include "fengqiao/force/roster.h"
#include "fengqiao/mediation/working_calendar.h"
#include "fengqiao/metrics/scorecard_policy.h"
#include "fengqiao/store/sqlite_case_store.h"

namespace fengqiao::python {

void BindBriefing(py::module_& m) {
  m.def(
      "briefing",
      [](const std::string& kind_name, const SqliteCaseStore& store, std::shared_ptr<GridMap> map,
         const std::string& date, std::shared_ptr<Roster> roster, const std::string& station,
         const std::string& calendar, const std::string& district) {
        const BriefingKind kind = ValueOrThrow(ParseBriefingKind(kind_name));
        absl::CivilDay day;
        if (date.size() != 10 || !absl::ParseCivilTime(date, &day)) {
          ThrowIfError(absl::InvalidArgumentError(
              absl::StrCat("date: \"", date, "\" is not a date (YYYY-MM-DD)")));
        }
        BriefingOptions options;
        options.station = station;
        options.roster = roster.get();
        if (!calendar.empty()) {
          options.consultation.working_calendar = ValueOrThrow(WorkingCalendar::Load(calendar));
        }
        if (!district.empty()) {
          options.loop_options = ValueOrThrow(LoadDistrictRules(district, calendar));
          options.scorecard_policy = ValueOrThrow(LoadDistrictScorecardPolicy(district));
        }
        Briefing b;
        {
          py::gil_scoped_release release;
          b = ValueOrThrow(MakeBriefing(kind, store, *map, day, options));
        }
        py::list figures;
        for (const BriefingSection& s : b.sections) {
          for (const BriefingFigure& f : s.figures) {
            figures.append(py::make_tuple(s.title, f.key, f.label, f.defined, f.value, f.n,
                                          f.is_rate, f.seed_value));
          }
        }
        return py::make_tuple(RenderHtml(b), RenderMarkdown(b), figures,
                              absl::ToUnixSeconds(b.start), absl::ToUnixSeconds(b.end), b.title,
                              b.period);
      },
      py::arg("kind"), py::arg("store"), py::arg("grid_map"), py::arg("date"),
      py::arg("roster") = nullptr, py::arg("station") = "", py::arg("calendar") = "",
      py::arg("district") = "",
      "(html, markdown, figures, start, end, title, period) of a daily / weekly / monthly "
      "briefing.");
}

}  // namespace fengqiao::python
