#include "fengqiao/incident/incident.h"
#include "fengqiao/vocabulary.h"

#include <string_view>
#include <utility>
#include "absl/strings/str_cat.h"
#include "fengqiao/status_macros.h"
#include "internal/proto_files.h"
#include "internal/time_util.h"

namespace fengqiao {

bool IsPoliceMatter(const v1::Incident& incident) {
  if (incident.kind() == v1::INCIDENT_KIND_NON_POLICE) return false;
  return !incident.has_police_matter() || incident.police_matter();
}

Classification Classify(const v1::Incident& incident, int repeat_count,
                        const ClassifierOptions& options) {
  Classification c;
  c.kind = incident.kind();
  c.channel = incident.channel();
  c.dispute_type = incident.dispute_type();
  c.police_matter = IsPoliceMatter(incident);
  c.department = c.police_matter ? v1::DEPARTMENT_UNSPECIFIED : incident.responsible_department();
  if (incident.severity() != v1::SEVERITY_UNSPECIFIED) {
    c.severity = incident.severity();
    return c;
  }
  c.severity_assessed = true;
  const int parties = incident.parties_size();
  if (incident.violence_risk()) {
    c.severity = v1::SEVERITY_CRITICAL;
  } else if (incident.injury() || incident.amount_fen() >= options.major_amount_fen ||
             parties >= options.major_parties || repeat_count >= options.major_repeats ||
             incident.kind() == v1::INCIDENT_KIND_CRIMINAL) {
    c.severity = v1::SEVERITY_MAJOR;
  } else if (incident.amount_fen() >= options.general_amount_fen ||
             parties >= options.general_parties || repeat_count >= options.general_repeats ||
             incident.kind() == v1::INCIDENT_KIND_PUBLIC_ORDER) {
    c.severity = v1::SEVERITY_GENERAL;
  } else {
    c.severity = v1::SEVERITY_SIMPLE;
  }
  return c;
}

namespace {
// 2000-01-01T00:00:00Z and 2100-01-01T00:00:00Z.
constexpr int64_t kEarliestIncidentSeconds = 946'684'800;
constexpr int64_t kLatestIncidentSeconds = 4'102'444'800;
// 100 billion yuan in fen.
constexpr int64_t kMaxAmountFen = 10'000'000'000'000;
}  // namespace

absl::Status ValidateIncident(const v1::Incident& incident, const GridMap& grid_map) {
  if (incident.id().empty()) return absl::InvalidArgumentError("incident: id is empty");
  auto bad = [&](absl::string_view field, const auto&... what) {
    return absl::InvalidArgumentError(
        absl::StrCat("incident \"", incident.id(), "\": ", field, ": ", what...));
  };
  // Every enum a number its enum defines, every string UTF-8 (an incident built in code or read
  // from a caller's JSON gets the checks a file gets).
  FENGQIAO_RETURN_IF_ERROR(internal::CheckFields(
      incident, internal::SourceMap(absl::StrCat("incident \"", incident.id(), "\""))));
  if (!incident.has_reported_at()) return bad("reported_at", "is not set");
  // Times inside the window a case store can hold (and period arithmetic can add years to):
  // 2000-01-01 to 2099-12-31 UTC. Earlier or later is a date entry error, not an incident.
  for (const auto& [name, t] : {std::pair<const char*, const google::protobuf::Timestamp*>{
                                    "reported_at", &incident.reported_at()},
                                {"occurred_at", &incident.occurred_at()}}) {
    if (std::string_view(name) == "occurred_at" && !incident.has_occurred_at()) continue;
    if (t->nanos() < 0 || t->nanos() > 999'999'999) {
      return bad(name, "nanos ", t->nanos(), " is outside 0..999999999");
    }
    if (t->seconds() < kEarliestIncidentSeconds || t->seconds() >= kLatestIncidentSeconds) {
      return bad(name, "is outside 2000-01-01 .. 2099-12-31 (", t->seconds(),
                 " s since 1970): a date entry error?");
    }
  }
  if (incident.has_occurred_at() &&
      internal::ToTime(incident.occurred_at()) > internal::ToTime(incident.reported_at())) {
    return bad("occurred_at", "is after reported_at (timestamps out of order)");
  }
  if (incident.channel() == v1::CHANNEL_UNSPECIFIED) return bad("channel", "is not set");
  if (incident.kind() == v1::INCIDENT_KIND_UNSPECIFIED) return bad("kind", "is not set");
  if (incident.kind() == v1::INCIDENT_KIND_DISPUTE &&
      incident.dispute_type() == v1::DISPUTE_TYPE_UNSPECIFIED) {
    return bad("dispute_type", "is missing for a dispute");
  }
  if (incident.kind() == v1::INCIDENT_KIND_NON_POLICE && incident.has_police_matter() &&
      incident.police_matter()) {
    return bad("police_matter", "is true for kind NON_POLICE (非警务)");
  }
  // A non-police matter names its department, or the catalogue item (matter_code) a
  // responsibility catalogue takes it from.
  if (!IsPoliceMatter(incident) &&
      incident.responsible_department() == v1::DEPARTMENT_UNSPECIFIED &&
      incident.matter_code().empty()) {
    return bad("responsible_department",
               "is missing for a non-police matter without a matter_code");
  }
  if (incident.grid_code().empty()) return bad("grid_code", "is empty");
  const v1::Area* grid = grid_map.Find(incident.grid_code());
  if (grid == nullptr) {
    return bad("grid_code", "\"", incident.grid_code(), "\" is not in the grid map");
  }
  if (grid->level() != v1::AREA_LEVEL_GRID) {
    return bad("grid_code", "\"", incident.grid_code(), "\" is a ", AreaLevelName(grid->level()),
               ", not a grid");
  }
  if (incident.has_location()) {
    const v1::LatLng& p = incident.location();
    if (!(p.lat_deg() >= -90 && p.lat_deg() <= 90 && p.lng_deg() >= -180 && p.lng_deg() <= 180)) {
      return bad("location", "(", p.lat_deg(), ", ", p.lng_deg(),
                 ") is not a valid latitude/longitude");
    }
  }
  if (incident.amount_fen() < 0) {
    return bad("amount_fen", incident.amount_fen(), " is negative");
  }
  if (incident.amount_fen() > kMaxAmountFen) {
    return bad("amount_fen", "is above ", kMaxAmountFen,
               " fen (100 billion yuan): an entry error, and sums of such would overflow");
  }
  for (int i = 0; i < incident.parties_size(); ++i) {
    if (incident.parties(i).person_id().empty()) {
      return bad(absl::StrCat("parties[", i, "].person_id"), "is empty");
    }
  }
  return absl::OkStatus();
}

absl::string_view DisputeTypeName(v1::DisputeType type) { return DisplayName(type); }

absl::string_view ChannelName(v1::Channel channel) { return DisplayName(channel); }

absl::string_view DepartmentName(v1::Department department) { return DisplayName(department); }

absl::string_view SeverityName(v1::Severity severity) { return DisplayName(severity); }

absl::string_view IncidentKindName(v1::IncidentKind kind) { return DisplayName(kind); }

}  // namespace fengqiao
