#include "fengqiao/store/warnings.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "fengqiao/status_macros.h"
#include "internal/time_util.h"

namespace fengqiao {
namespace {

bool Closed(v1::CaseState s) {
  return s == v1::CASE_STATE_CLOSED || s == v1::CASE_STATE_CANCELLED ||
         s == v1::CASE_STATE_DUPLICATE;
}

}  // namespace

std::optional<OrderWarning> WarningOf(const v1::Case& c, absl::Time now,
                                      const WarningOptions& options) {
  if (Closed(c.state())) return std::nullopt;
  const v1::Deadline* earliest = nullptr;
  for (const v1::Deadline& d : c.deadlines()) {
    if (d.met() || !d.has_due()) continue;
    if (earliest == nullptr || d.due().seconds() < earliest->due().seconds()) earliest = &d;
  }
  if (earliest == nullptr) return std::nullopt;
  OrderWarning w;
  // Paused (挂起) since the last PAUSE with no RESUME after it: the clock stands at the pause.
  for (auto it = c.events().rbegin(); it != c.events().rend(); ++it) {
    if (it->type() == v1::CASE_EVENT_TYPE_RESUME) break;
    if (it->type() == v1::CASE_EVENT_TYPE_PAUSE) {
      w.paused = true;
      now = std::min(now, internal::ToTime(it->at()));
      break;
    }
  }
  w.case_id = c.id();
  w.deadline = earliest->name();
  w.holder = earliest->holder();
  w.due = internal::ToTime(earliest->due());
  const absl::Time armed = earliest->has_armed_at() ? internal::ToTime(earliest->armed_at())
                                                    : internal::ToTime(c.incident().reported_at());
  const double span =
      absl::ToDoubleSeconds(w.due - armed - internal::ToDuration(earliest->paused()));
  w.share_left = span > 0 ? absl::ToDoubleSeconds(w.due - now) / span : (now < w.due ? 1 : -1);
  w.overdue = now >= w.due;
  w.colour = w.overdue || w.share_left < options.red_below ? v1::WARNING_COLOUR_RED
             : w.share_left <= options.amber_below         ? v1::WARNING_COLOUR_AMBER
                                                           : v1::WARNING_COLOUR_GREEN;
  w.department = c.department() != v1::DEPARTMENT_UNSPECIFIED
                     ? c.department()
                     : c.incident().responsible_department();
  w.grid_code = c.incident().grid_code();
  return w;
}

absl::StatusOr<std::vector<OrderWarning>> FindWarnings(const CaseStore& store,
                                                       const GridMap& grid_map, absl::Time now,
                                                       const WarningQuery& query,
                                                       const WarningOptions& options) {
  if (!(options.red_below >= 0 && options.red_below <= options.amber_below &&
        options.amber_below <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("warnings: thresholds must satisfy 0 <= red_below (", options.red_below,
                     ") <= amber_below (", options.amber_below, ") <= 1"));
  }
  if (!query.area_code.empty() && grid_map.Find(query.area_code) == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("warnings: area \"", query.area_code, "\" is not in the grid map"));
  }
  FENGQIAO_ASSIGN_OR_RETURN(std::vector<std::string> ids, store.Find(CaseQuery()));
  std::vector<OrderWarning> out;
  for (const std::string& id : ids) {
    FENGQIAO_ASSIGN_OR_RETURN(v1::Case c, store.Get(id));
    std::optional<OrderWarning> w = WarningOf(c, now, options);
    if (!w.has_value()) continue;
    if (query.colour.has_value() && w->colour != *query.colour) continue;
    if (query.department.has_value() && w->department != *query.department) continue;
    if (!query.area_code.empty() && !grid_map.IsWithin(w->grid_code, query.area_code)) continue;
    out.push_back(std::move(*w));
  }
  std::sort(out.begin(), out.end(), [](const OrderWarning& a, const OrderWarning& b) {
    if (a.colour != b.colour) return a.colour > b.colour;  // red, amber, green
    return a.due < b.due;
  });
  return out;
}

}  // namespace fengqiao
