// File: fengqiao/interop/open311.h
// Open311 GeoReport v2, the format civic-request systems that feed 12345 speak, mapped to and
// from fengqiao's incidents and cases:
// - GET services: Open311Services(rules), the departments the rule set diverts to and the
//  dispute types it names, with stable codes ("dept-city_management").
// - POST requests: ParseOpen311Request(body) + IncidentFromOpen311(...), a request becomes a
//  validated Incident located to its grid (the requester as a party, held as personal data),
//  or a Status that Open311ErrorFrom() turns into the specification's {code, description}.
// - GET requests: Open311FromCase(case), status open/closed from the case state (table in
//  docs/interop.md), notes from the last event, the agency from the decision, the expected time
//  from the open deadline; personal data masked.
// Lists are written as the specification's JSON (Open311Json) or XML (Open311Xml).
//
//   #include "fengqiao/grid/grid_map.h"
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::GridMap> map,
//                             fengqiao::GridMap::Load("examples/data/grid_map.textproto"));
//   FENGQIAO_ASSIGN_OR_RETURN(
//       fengqiao::v1::Open311Request request,
//       fengqiao::ParseOpen311Request("service_code=dept-city_management&lat=29.9320&long=122.1820"
//                                     "&description=%E5%A4%9C%E9%97%B4%E6%96%BD%E5%B7%A5",
//                                     "application/x-www-form-urlencoded"));
//   FENGQIAO_ASSIGN_OR_RETURN(fengqiao::v1::Incident incident,
//                             fengqiao::IncidentFromOpen311(request, *map, "12345-0001",
//                                                           absl::FromUnixSeconds(1791943200)));
//   if (incident.responsible_department() != fengqiao::v1::DEPARTMENT_CITY_MANAGEMENT) {
//     return absl::InternalError("a city-management request goes to 城管");
//   }
//
// Errors: InvalidArgument for a request that cannot become an incident (a missing or unknown
// service_code, no location, a location outside every grid, a bad time, an unknown field), naming
// the field, never its value; Open311ErrorFrom maps it to code 400 (NotFound to 404, others 500).
// Thread safety: free functions over values; safe from any thread.
#ifndef FENGQIAO_INTEROP_OPEN311_H_
#define FENGQIAO_INTEROP_OPEN311_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/time_zone.h"
#include "fengqiao/v1/case.pb.h"
#include "fengqiao/v1/incident.pb.h"
#include "fengqiao/v1/open311.pb.h"
#include "fengqiao/v1/routing.pb.h"

namespace fengqiao {

struct Open311Options {
  // Channel of incidents made from requests (12345, or a platform transfer).
  v1::Channel channel = v1::CHANNEL_HOTLINE_12345;
  // Zone of the datetimes written (ISO 8601 with this zone's offset).
  absl::TimeZone time_zone = ChinaTimeZone();
  // Largest request body accepted, bytes.
  size_t max_body_bytes = 64 * 1024;
};

// The service list of a district: one service per department the rule set diverts to
// (group 非警务事项) and per dispute type a rule names (group 矛盾纠纷), in enum order.
std::vector<v1::Open311Service> Open311Services(const v1::RuleSet& rules);

// The body of a POST requests call: `application/x-www-form-urlencoded` (the specification's
// form) or `application/json` (one object with the same field names). `attribute[...]` and
// `api_key` are accepted and ignored; any other unknown field is an error naming it.
absl::StatusOr<v1::Open311Request> ParseOpen311Request(absl::string_view body,
                                                       absl::string_view content_type,
                                                       const Open311Options& options = {});

// The incident a request becomes, validated against the grid map (ValidateIncident). Its report
// time is requested_datetime when given, else `received_at`.
absl::StatusOr<v1::Incident> IncidentFromOpen311(const v1::Open311Request& request,
                                                 const GridMap& grid_map,
                                                 absl::string_view incident_id,
                                                 absl::Time received_at,
                                                 const Open311Options& options = {});

// A case as the specification reports a request; personal fields masked.
v1::Open311ServiceRequest Open311FromCase(const v1::Case& c, const Open311Options& options = {});

// "open" or "closed" for a case state (closed: CLOSED, CANCELLED, DUPLICATE).
absl::string_view Open311Status(v1::CaseState state);

// The specification's error for a non-OK status.
v1::Open311Error Open311ErrorFrom(const absl::Status& status);

// A list of services, requests or errors in the specification's JSON (an array of objects) or
// XML (<services><service>, <service_requests><request>, <errors><error>).
std::string Open311Json(absl::Span<const v1::Open311Service> services);
std::string Open311Json(absl::Span<const v1::Open311ServiceRequest> requests);
std::string Open311Json(absl::Span<const v1::Open311Error> errors);
std::string Open311Xml(absl::Span<const v1::Open311Service> services);
std::string Open311Xml(absl::Span<const v1::Open311ServiceRequest> requests);
std::string Open311Xml(absl::Span<const v1::Open311Error> errors);

}  // namespace fengqiao

#endif  // FENGQIAO_INTEROP_OPEN311_H_
