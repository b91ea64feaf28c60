// Incident -> RoutingFacts: the one interning of an incident message for a rule set.
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "fengqiao/incident/incident.h"
#include "fengqiao/routing/responsibility_catalogue.h"
#include "fengqiao/routing/rule_set.h"
#include "internal/columns.h"
#include "internal/time_util.h"
#include "routing/internal/compiled_rules.h"

namespace fengqiao {

absl::StatusOr<RoutingFacts> MakeRoutingFacts(const v1::Incident& incident, int repeat_count,
                                              const RuleSet& rule_set) {
  if (!incident.has_reported_at()) {
    return absl::InvalidArgumentError(
        absl::StrCat("incident \"", incident.id(), "\": reported_at: is not set"));
  }
  if (repeat_count < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "incident \"", incident.id(), "\": repeat_count ", repeat_count, " is negative"));
  }
  const Classification c = Classify(incident, repeat_count);
  RoutingFacts f;
  f.area = rule_set.grid_map().AreaIndex(incident.grid_code());
  f.kind = internal::SmallEnum(incident.kind());
  // As recorded, whatever the kind: a non-police debt dispute keeps its dispute type, so a rule
  // on dispute types sees it here exactly as it does in RoutingColumns.
  f.dispute_type = internal::SmallEnum(incident.dispute_type());
  f.department = internal::SmallEnum(incident.responsible_department());
  f.severity = internal::SmallEnum(c.severity);
  f.channel = internal::SmallEnum(incident.channel());
  f.amount_fen = incident.amount_fen();
  f.party_count = incident.parties_size();
  f.repeat_count = repeat_count;
  const absl::CivilSecond local =
      absl::ToCivilSecond(internal::ToTime(incident.reported_at()), rule_set.options().time_zone);
  f.hour = static_cast<uint8_t>(local.hour());
  f.weekday = static_cast<uint8_t>(internal::IsoWeekday(absl::CivilDay(local)));
  f.flags = (incident.injury() ? kFactInjury : 0) |
            (incident.violence_risk() ? kFactViolenceRisk : 0) |
            (c.police_matter ? 0 : kFactNonPolice);
  for (const std::string& tag : incident.tags()) f.tags |= rule_set.TagBit(tag);
  if (const ResponsibilityCatalogue* catalogue = rule_set.options().catalogue.get()) {
    f.matter = catalogue->Find(incident.matter_code());
    routing_internal::ApplyCatalogue(*catalogue, &f);
  }
  return f;
}

}  // namespace fengqiao
