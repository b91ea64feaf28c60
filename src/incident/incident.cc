#include "fengqiao/incident/incident.h"

#include "absl/strings/str_cat.h"
#include "internal/time_util.h"

namespace fengqiao {

Classification Classify(const v1::Incident& incident, int repeat_count,
                        const ClassifierOptions& options) {
  Classification c;
  c.kind = incident.kind();
  c.channel = incident.channel();
  c.dispute_type = incident.dispute_type();
  c.police_matter = incident.kind() != v1::INCIDENT_KIND_NON_POLICE;
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

absl::Status ValidateIncident(const v1::Incident& incident, const GridMap& grid_map) {
  if (incident.id().empty()) return absl::InvalidArgumentError("incident: id is empty");
  auto bad = [&](absl::string_view field, const auto&... what) {
    return absl::InvalidArgumentError(
        absl::StrCat("incident \"", incident.id(), "\": ", field, ": ", what...));
  };
  if (!incident.has_reported_at()) return bad("reported_at", "is not set");
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
  if (incident.kind() == v1::INCIDENT_KIND_NON_POLICE &&
      incident.responsible_department() == v1::DEPARTMENT_UNSPECIFIED) {
    return bad("responsible_department", "is missing for a non-police matter");
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
  for (int i = 0; i < incident.parties_size(); ++i) {
    if (incident.parties(i).person_id().empty()) {
      return bad(absl::StrCat("parties[", i, "].person_id"), "is empty");
    }
  }
  return absl::OkStatus();
}

absl::string_view DisputeTypeName(v1::DisputeType type) {
  switch (type) {
    case v1::DISPUTE_TYPE_NEIGHBOUR:
      return "neighbour (邻里)";
    case v1::DISPUTE_TYPE_FAMILY:
      return "family (家庭)";
    case v1::DISPUTE_TYPE_LABOUR:
      return "labour (劳资)";
    case v1::DISPUTE_TYPE_DEBT:
      return "debt (债务)";
    case v1::DISPUTE_TYPE_MARRIAGE:
      return "marriage (婚恋)";
    case v1::DISPUTE_TYPE_PROPERTY_DAMAGE:
      return "property damage (财产损害)";
    case v1::DISPUTE_TYPE_PERSONAL_INJURY:
      return "personal injury (人身损害)";
    case v1::DISPUTE_TYPE_NOISE:
      return "noise (噪音)";
    case v1::DISPUTE_TYPE_PET:
      return "pets (宠物)";
    case v1::DISPUTE_TYPE_SALE:
      return "sales (买卖)";
    case v1::DISPUTE_TYPE_PROPERTY_SERVICE:
      return "property service (物业)";
    case v1::DISPUTE_TYPE_TRAFFIC:
      return "traffic (交通)";
    case v1::DISPUTE_TYPE_OTHER:
      return "other (其他)";
    default:
      return "unspecified";
  }
}

absl::string_view ChannelName(v1::Channel channel) {
  switch (channel) {
    case v1::CHANNEL_CALL_110:
      return "110";
    case v1::CHANNEL_HOTLINE_12345:
      return "12345";
    case v1::CHANNEL_GRID_PATROL:
      return "grid patrol (网格巡查)";
    case v1::CHANNEL_WALK_IN:
      return "walk-in (来访)";
    case v1::CHANNEL_CHAT_GROUP:
      return "chat group (微信群)";
    case v1::CHANNEL_PLATFORM_TRANSFER:
      return "platform transfer (平台转派)";
    default:
      return "unspecified";
  }
}

absl::string_view DepartmentName(v1::Department department) {
  switch (department) {
    case v1::DEPARTMENT_CITY_MANAGEMENT:
      return "city management (城管)";
    case v1::DEPARTMENT_HOUSING_CONSTRUCTION:
      return "housing & construction (住建)";
    case v1::DEPARTMENT_JUDICIAL_OFFICE:
      return "judicial office (司法所)";
    case v1::DEPARTMENT_MARKET_REGULATION:
      return "market regulation (市场监管)";
    case v1::DEPARTMENT_LABOUR:
      return "labour inspection (劳动监察)";
    case v1::DEPARTMENT_ENVIRONMENT:
      return "environment (生态环境)";
    case v1::DEPARTMENT_FIRE_RESCUE:
      return "fire & rescue (消防)";
    case v1::DEPARTMENT_COMMUNITY:
      return "residents' committee (社区)";
    case v1::DEPARTMENT_WOMENS_FEDERATION:
      return "women's federation (妇联)";
    case v1::DEPARTMENT_MARITIME:
      return "maritime (海防)";
    case v1::DEPARTMENT_TOBACCO:
      return "tobacco monopoly (烟草)";
    default:
      return "unspecified";
  }
}

absl::string_view SeverityName(v1::Severity severity) {
  switch (severity) {
    case v1::SEVERITY_SIMPLE:
      return "simple (简易)";
    case v1::SEVERITY_GENERAL:
      return "general (一般)";
    case v1::SEVERITY_MAJOR:
      return "major (重大复杂)";
    case v1::SEVERITY_CRITICAL:
      return "critical (紧急)";
    default:
      return "unspecified";
  }
}

absl::string_view IncidentKindName(v1::IncidentKind kind) {
  switch (kind) {
    case v1::INCIDENT_KIND_DISPUTE:
      return "dispute (纠纷)";
    case v1::INCIDENT_KIND_PUBLIC_ORDER:
      return "public order (治安)";
    case v1::INCIDENT_KIND_CRIMINAL:
      return "criminal (刑事)";
    case v1::INCIDENT_KIND_FRAUD:
      return "fraud (电诈)";
    case v1::INCIDENT_KIND_TRAFFIC:
      return "traffic (交通)";
    case v1::INCIDENT_KIND_ASSISTANCE:
      return "assistance (求助)";
    case v1::INCIDENT_KIND_FIRE_HAZARD:
      return "fire / hazard (火情隐患)";
    case v1::INCIDENT_KIND_NON_POLICE:
      return "non-police (非警务)";
    default:
      return "unspecified";
  }
}

}  // namespace fengqiao
