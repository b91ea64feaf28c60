#include "fengqiao/interop/open311.h"

#include "internal/text.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "fengqiao/incident/incident.h"
#include "fengqiao/privacy/masking.h"
#include "fengqiao/status_macros.h"
#include "fengqiao/vocabulary.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "internal/proto_files.h"
#include "internal/time_util.h"

namespace fengqiao {
namespace {

namespace pb = google::protobuf;

constexpr absl::string_view kDeptPrefix = "dept-";
constexpr absl::string_view kDisputePrefix = "dispute-";

absl::Status Bad(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("open311 request: ", field, ": ", what));
}

std::string Iso8601(absl::Time t, absl::TimeZone tz) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", t, tz);
}

// %XX and '+' decoding of one form value; false on a bad escape.
bool UrlDecode(absl::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out->push_back(' ');
    } else if (in[i] == '%') {
      int v = 0;
      if (i + 2 >= in.size() || !absl::ascii_isxdigit(in[i + 1]) ||
          !absl::ascii_isxdigit(in[i + 2]) || !absl::SimpleHexAtoi(in.substr(i + 1, 2), &v)) {
        return false;
      }
      out->push_back(static_cast<char>(v));
      i += 2;
    } else {
      out->push_back(in[i]);
    }
  }
  return true;
}

absl::StatusOr<v1::Open311Request> ParseForm(absl::string_view body) {
  v1::Open311Request request;
  const pb::Descriptor* d = request.GetDescriptor();
  const pb::Reflection* r = request.GetReflection();
  for (absl::string_view pair : absl::StrSplit(body, '&', absl::SkipEmpty())) {
    const size_t eq = pair.find('=');
    std::string key, value;
    if (!UrlDecode(pair.substr(0, eq), &key)) return Bad("body", "a key has a bad %-escape");
    if (eq != absl::string_view::npos && !UrlDecode(pair.substr(eq + 1), &value)) {
      return Bad(key, "bad %-escape in the value");
    }
    if (absl::StartsWith(key, "attribute[") || key == "api_key") continue;
    const pb::FieldDescriptor* f = d->FindFieldByName(key);
    if (f == nullptr) return Bad(key, "is not a GeoReport v2 request field");
    if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_DOUBLE) {
      double v = 0;
      if (!absl::SimpleAtod(value, &v)) return Bad(key, "is not a number");
      r->SetDouble(&request, f, v);
    } else {
      r->SetString(&request, f, value);
    }
  }
  // Values must be UTF-8 like every other input (the check names the field, not the value).
  FENGQIAO_RETURN_IF_ERROR(internal::CheckFields(request, internal::SourceMap("request")));
  return request;
}

// The service a code names: a department or a dispute type.
struct Service {
  v1::Department department = v1::DEPARTMENT_UNSPECIFIED;
  v1::DisputeType dispute = v1::DISPUTE_TYPE_UNSPECIFIED;
};

absl::StatusOr<Service> ServiceOf(absl::string_view code) {
  Service s;
  if (absl::StartsWith(code, kDeptPrefix)) {
    absl::StatusOr<v1::Department> d = ParseEnum<v1::Department>(code.substr(kDeptPrefix.size()));
    if (!d.ok() || LabelOf(*d).short_name != code.substr(kDeptPrefix.size())) {
      return absl::NotFoundError(
          "open311 request: service_code: not one of the district's services");
    }
    s.department = *d;
  } else if (absl::StartsWith(code, kDisputePrefix)) {
    absl::StatusOr<v1::DisputeType> t =
        ParseEnum<v1::DisputeType>(code.substr(kDisputePrefix.size()));
    if (!t.ok() || LabelOf(*t).short_name != code.substr(kDisputePrefix.size())) {
      return absl::NotFoundError(
          "open311 request: service_code: not one of the district's services");
    }
    s.dispute = *t;
  } else {
    return absl::NotFoundError("open311 request: service_code: not one of the district's services");
  }
  return s;
}

template <typename M>
std::string JsonArray(absl::Span<const M> items) {
  pb::util::JsonPrintOptions o;
  o.preserve_proto_field_names = true;
  o.always_print_primitive_fields = true;
  std::vector<std::string> parts;
  for (const M& m : items) {
    std::string s;
    if (!pb::util::MessageToJsonString(m, &s, o).ok()) s = "{}";
    parts.push_back(std::move(s));
  }
  return absl::StrCat("[", absl::StrJoin(parts, ","), "]");
}

std::string XmlEscape(absl::string_view s) { return internal::MarkupEscape(s); }

template <typename M>
std::string XmlList(absl::Span<const M> items, absl::string_view root, absl::string_view item) {
  std::string out = absl::StrCat("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<", root, ">");
  for (const M& m : items) {
    absl::StrAppend(&out, "<", item, ">");
    const pb::Descriptor* d = m.GetDescriptor();
    const pb::Reflection* r = m.GetReflection();
    for (int i = 0; i < d->field_count(); ++i) {
      const pb::FieldDescriptor* f = d->field(i);
      if (f->has_presence() && !r->HasField(m, f)) continue;
      std::string value;
      switch (f->cpp_type()) {
        case pb::FieldDescriptor::CPPTYPE_STRING:
          value = XmlEscape(r->GetString(m, f));
          break;
        case pb::FieldDescriptor::CPPTYPE_DOUBLE:
          value = absl::StrCat(r->GetDouble(m, f));
          break;
        case pb::FieldDescriptor::CPPTYPE_BOOL:
          value = r->GetBool(m, f) ? "true" : "false";
          break;
        case pb::FieldDescriptor::CPPTYPE_INT32:
          value = absl::StrCat(r->GetInt32(m, f));
          break;
        default:
          continue;
      }
      absl::StrAppend(&out, "<", f->name(), ">", value, "</", f->name(), ">");
    }
    absl::StrAppend(&out, "</", item, ">");
  }
  absl::StrAppend(&out, "</", root, ">\n");
  return out;
}

}  // namespace

std::vector<v1::Open311Service> Open311Services(const v1::RuleSet& rules) {
  std::vector<bool> dept(v1::Department_ARRAYSIZE), dispute(v1::DisputeType_ARRAYSIZE);
  for (const v1::Rule& rule : rules.rules()) {
    const v1::Department d = rule.then().department();
    if (d > 0 && d < v1::Department_ARRAYSIZE) dept[d] = true;
    for (int t : rule.when().dispute_types()) {
      if (t > 0 && t < v1::DisputeType_ARRAYSIZE) dispute[t] = true;
    }
  }
  std::vector<v1::Open311Service> out;
  auto add = [&](absl::string_view prefix, const EnumLabel& l, absl::string_view group,
                 absl::string_view description) {
    v1::Open311Service s;
    s.set_service_code(absl::StrCat(prefix, l.short_name));
    s.set_service_name(std::string(l.zh));
    s.set_description(std::string(description));
    s.set_type("realtime");
    s.set_keywords(absl::StrCat(l.zh, ",", l.en));
    s.set_group(std::string(group));
    out.push_back(std::move(s));
  };
  for (int d = 1; d < v1::Department_ARRAYSIZE; ++d) {
    if (!dept[d]) continue;
    const EnumLabel& l = LabelOf(static_cast<v1::Department>(d));
    add(kDeptPrefix, l, "非警务事项", absl::StrCat("转", l.zh, "办理的非警务诉求"));
  }
  for (int t = 1; t < v1::DisputeType_ARRAYSIZE; ++t) {
    if (!dispute[t]) continue;
    const EnumLabel& l = LabelOf(static_cast<v1::DisputeType>(t));
    add(kDisputePrefix, l, "矛盾纠纷", absl::StrCat(l.zh, "纠纷调解"));
  }
  return out;
}

absl::StatusOr<v1::Open311Request> ParseOpen311Request(absl::string_view body,
                                                       absl::string_view content_type,
                                                       const Open311Options& options) {
  if (body.size() > options.max_body_bytes) {
    return Bad("body", absl::StrCat("is ", body.size(), " bytes, more than the ",
                                    options.max_body_bytes, " accepted"));
  }
  const absl::string_view type =
      absl::StripAsciiWhitespace(content_type.substr(0, content_type.find(';')));
  if (absl::EqualsIgnoreCase(type, "application/json")) {
    v1::Open311Request request;
    internal::SourceMap where;
    FENGQIAO_RETURN_IF_ERROR(internal::ParseProto(body, "request.json", &request, &where));
    return request;
  }
  if (absl::EqualsIgnoreCase(type, "application/x-www-form-urlencoded") || type.empty()) {
    return ParseForm(body);
  }
  return Bad("Content-Type", "must be application/x-www-form-urlencoded or application/json");
}

absl::StatusOr<v1::Incident> IncidentFromOpen311(const v1::Open311Request& request,
                                                 const GridMap& grid_map,
                                                 absl::string_view incident_id,
                                                 absl::Time received_at,
                                                 const Open311Options& options) {
  if (request.service_code().empty()) return Bad("service_code", "is required");
  FENGQIAO_ASSIGN_OR_RETURN(Service service, ServiceOf(request.service_code()));
  if (!request.has_lat() || !request.has_long_()) {
    return Bad("lat/long", request.address_string().empty()
                               ? "are required"
                               : "are required (address_string alone cannot be placed in a grid)");
  }
  v1::Incident incident;
  incident.set_id(std::string(incident_id));
  incident.mutable_location()->set_lat_deg(request.lat());
  incident.mutable_location()->set_lng_deg(request.long_());
  if (!(request.lat() >= -90 && request.lat() <= 90 && request.long_() >= -180 &&
        request.long_() <= 180)) {
    return Bad("lat/long", "are not a valid latitude/longitude");
  }
  FENGQIAO_ASSIGN_OR_RETURN(const v1::Area* grid, grid_map.Locate(incident.location()));
  if (grid == nullptr) return Bad("lat/long", "are outside every grid of the district");
  incident.set_grid_code(grid->code());
  absl::Time reported = received_at;
  if (!request.requested_datetime().empty()) {
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, request.requested_datetime(), &reported, &error)) {
      return Bad("requested_datetime", "is not an ISO 8601 date-time with an offset");
    }
  }
  *incident.mutable_reported_at() = internal::ToTimestamp(reported);
  incident.set_channel(options.channel);
  if (service.department != v1::DEPARTMENT_UNSPECIFIED) {
    incident.set_kind(v1::INCIDENT_KIND_NON_POLICE);
    incident.set_responsible_department(service.department);
  } else {
    incident.set_kind(v1::INCIDENT_KIND_DISPUTE);
    incident.set_dispute_type(service.dispute);
  }
  incident.set_description(request.description());
  if (!request.first_name().empty() || !request.last_name().empty() || !request.phone().empty()) {
    v1::Party* p = incident.add_parties();
    p->set_role(v1::PARTY_ROLE_COMPLAINANT);
    // Chinese order: family name first.
    p->set_name(absl::StrCat(request.last_name(), request.first_name()));
    p->set_phone(request.phone());
    // The sending system's account id links requests of one requester (repeat detection); without
    // one the requester is known only in this incident (a hash of the phone number would be a
    // pseudonym anyone could reverse by trying every number).
    p->set_person_id(absl::StrCat(
        "open311-", !request.account_id().empty() ? request.account_id() : incident_id));
  }
  if (!request.media_url().empty()) incident.add_tags("has_media");
  FENGQIAO_RETURN_IF_ERROR(ValidateIncident(incident, grid_map));
  return incident;
}

absl::string_view Open311Status(v1::CaseState state) {
  return state == v1::CASE_STATE_CLOSED || state == v1::CASE_STATE_CANCELLED ||
                 state == v1::CASE_STATE_DUPLICATE
             ? "closed"
             : "open";
}

v1::Open311ServiceRequest Open311FromCase(const v1::Case& c, const Open311Options& options) {
  v1::Open311ServiceRequest out;
  const v1::Incident& incident = c.incident();
  out.set_service_request_id(c.id());
  out.set_status(std::string(Open311Status(c.state())));
  out.set_status_notes(std::string(LabelOf(c.state()).zh));
  if (incident.kind() == v1::INCIDENT_KIND_NON_POLICE) {
    const EnumLabel& l = LabelOf(incident.responsible_department());
    out.set_service_code(absl::StrCat(kDeptPrefix, l.short_name));
    out.set_service_name(std::string(l.zh));
  } else if (incident.dispute_type() != v1::DISPUTE_TYPE_UNSPECIFIED) {
    const EnumLabel& l = LabelOf(incident.dispute_type());
    out.set_service_code(absl::StrCat(kDisputePrefix, l.short_name));
    out.set_service_name(std::string(l.zh));
  }
  out.set_description(incident.description());
  const v1::Action& action = c.decision().action();
  out.set_agency_responsible(std::string(action.department() != v1::DEPARTMENT_UNSPECIFIED
                                             ? LabelOf(action.department()).zh
                                             : LabelOf(c.tier()).zh));
  out.set_service_notice(std::string(LabelOf(c.tier()).zh));
  if (incident.has_reported_at()) {
    out.set_requested_datetime(
        Iso8601(internal::ToTime(incident.reported_at()), options.time_zone));
  }
  // A work order's steps that leave the state as it is (挂起, 延期, 督办, 并单 ...) show in the
  // notes as the last event; a paused order (挂起) has no expected time until it resumes, and a
  // request merged into another order (并单) names the order that answers it.
  bool paused = false;
  for (const v1::CaseEvent& e : c.events()) {
    if (e.type() == v1::CASE_EVENT_TYPE_PAUSE) paused = true;
    if (e.type() == v1::CASE_EVENT_TYPE_RESUME) paused = false;
  }
  if (c.events_size() > 0) {
    const v1::CaseEvent& last = c.events(c.events_size() - 1);
    out.set_updated_datetime(Iso8601(internal::ToTime(last.at()), options.time_zone));
    out.set_status_notes(absl::StrCat(LabelOf(last.type()).zh, " -> ", LabelOf(c.state()).zh));
    if (last.type() == v1::CASE_EVENT_TYPE_MARK_DUPLICATE && !last.duplicate_of().empty()) {
      absl::StrAppend(out.mutable_status_notes(), " (", LabelOf(v1::CASE_EVENT_TYPE_MERGE).zh, ": ",
                      last.duplicate_of(), ")");
    }
    if (paused) {
      absl::StrAppend(out.mutable_status_notes(), " (", LabelOf(v1::CASE_EVENT_TYPE_PAUSE).zh, ")");
    }
  }
  absl::Time expected = absl::InfiniteFuture();
  for (const v1::Deadline& d : c.deadlines()) {
    if (!d.met() && d.has_due()) expected = std::min(expected, internal::ToTime(d.due()));
  }
  if (expected != absl::InfiniteFuture() && out.status() == "open" && !paused) {
    out.set_expected_datetime(Iso8601(expected, options.time_zone));
  }
  if (incident.has_location()) {
    out.set_lat(incident.location().lat_deg());
    out.set_long_(incident.location().lng_deg());
  }
  MaskMessage(&out);
  return out;
}

v1::Open311Error Open311ErrorFrom(const absl::Status& status) {
  v1::Open311Error e;
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      e.set_code(400);
      break;
    case absl::StatusCode::kNotFound:
      e.set_code(404);
      break;
    default:
      e.set_code(500);
  }
  e.set_description(std::string(status.message()));
  return e;
}

std::string Open311Json(absl::Span<const v1::Open311Service> s) { return JsonArray(s); }
std::string Open311Json(absl::Span<const v1::Open311ServiceRequest> r) { return JsonArray(r); }
std::string Open311Json(absl::Span<const v1::Open311Error> e) { return JsonArray(e); }
std::string Open311Xml(absl::Span<const v1::Open311Service> s) {
  return XmlList(s, "services", "service");
}
std::string Open311Xml(absl::Span<const v1::Open311ServiceRequest> r) {
  return XmlList(r, "service_requests", "request");
}
std::string Open311Xml(absl::Span<const v1::Open311Error> e) {
  return XmlList(e, "errors", "error");
}

}  // namespace fengqiao
