// The agenda of a "512" consultation, read from the cases' pending consultations.
#include "fengqiao/closure/agenda.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "fengqiao/vocabulary.h"
#include "internal/time_util.h"

namespace fengqiao {

absl::StatusOr<std::vector<AgendaItem>> ConsultationAgenda(absl::Span<const v1::Case> cases,
                                                           const GridMap& grid_map,
                                                           v1::AreaLevel level,
                                                           absl::string_view area_code,
                                                           absl::Time meeting_at) {
  if (level != v1::AREA_LEVEL_STREET && level != v1::AREA_LEVEL_DISTRICT) {
    return absl::InvalidArgumentError(
        absl::StrCat("only the street (Monday) and the district (Tuesday) consult on cases, not ",
                     AreaLevelName(level)));
  }
  const v1::Area* area = grid_map.Find(area_code);
  if (area == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("area \"", area_code, "\" is not in grid map \"", grid_map.proto().name(),
                     "\""));
  }
  if (area->level() != level) {
    return absl::InvalidArgumentError(absl::StrCat("area \"", area_code, "\" is a ",
                                                   AreaLevelName(area->level()), ", not a ",
                                                   AreaLevelName(level)));
  }
  std::vector<AgendaItem> out;
  for (const v1::Case& c : cases) {
    if (!c.has_consultation() || c.consultation().level() != level) continue;
    const absl::Time scheduled = internal::ToTime(c.consultation().meeting_at());
    if (scheduled > meeting_at) continue;
    if (!grid_map.IsWithin(c.incident().grid_code(), area_code)) continue;
    out.push_back({&c, internal::ToTime(c.consultation().since()), scheduled});
  }
  std::stable_sort(out.begin(), out.end(), [](const AgendaItem& a, const AgendaItem& b) {
    return a.since != b.since ? a.since < b.since : a.c->id() < b.c->id();
  });
  return out;
}

}  // namespace fengqiao
