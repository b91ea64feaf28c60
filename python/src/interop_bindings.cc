// Bindings for fengqiao/interop/open311.h and rule_table.h: messages cross as bytes.
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "bindings.h"
#include "checked_input.h"
#include "fengqiao/interop/open311.h"
#include "fengqiao/interop/rule_table.h"

namespace fengqiao::python {

void BindInterop(py::module_& m) {
  m.def(
      "open311_services",
      [](const py::bytes& rules) {
        std::vector<py::bytes> out;
        for (const v1::Open311Service& s :
             Open311Services(FromBytes<v1::RuleSet>(rules, "fengqiao.v1.RuleSet"))) {
          out.push_back(ToBytes(s));
        }
        return out;
      },
      py::arg("rules"), "The service list of a rule set (fengqiao.v1.Open311Service bytes).");
  m.def(
      "open311_incident",
      [](const std::string& body, const std::string& content_type, std::shared_ptr<GridMap> map,
         const std::string& incident_id, double received_at) {
        const v1::Open311Request request = ValueOrThrow(ParseOpen311Request(body, content_type));
        return ToBytes(ValueOrThrow(IncidentFromOpen311(
            request, *map, incident_id, CheckedSeconds(received_at, "received_at"))));
      },
      py::arg("body"), py::arg("content_type"), py::arg("grid_map"), py::arg("incident_id"),
      py::arg("received_at"), "A POST requests body -> fengqiao.v1.Incident bytes.");
  m.def(
      "open311_error",
      [](const std::string& code_name, const std::string& message) {
        absl::StatusCode code = absl::StatusCode::kInternal;
        if (code_name == "InvalidArgument") code = absl::StatusCode::kInvalidArgument;
        if (code_name == "NotFound") code = absl::StatusCode::kNotFound;
        return ToBytes(Open311ErrorFrom(absl::Status(code, message)));
      },
      py::arg("code"), py::arg("message"), "The specification's error for a fengqiao error.");
  m.def(
      "open311_from_case",
      [](const py::bytes& c) {
        return ToBytes(Open311FromCase(FromBytes<v1::Case>(c, "fengqiao.v1.Case")));
      },
      py::arg("case"), "A case -> fengqiao.v1.Open311ServiceRequest bytes, personal data masked.");
  m.def(
      "open311_write",
      [](const std::string& kind, const std::vector<py::bytes>& items, bool xml) {
        if (kind == "services") {
          std::vector<v1::Open311Service> v;
          for (const auto& b : items)
            v.push_back(FromBytes<v1::Open311Service>(b, "Open311Service"));
          return xml ? Open311Xml(v) : Open311Json(v);
        }
        if (kind == "requests") {
          std::vector<v1::Open311ServiceRequest> v;
          for (const auto& b : items) {
            v.push_back(FromBytes<v1::Open311ServiceRequest>(b, "Open311ServiceRequest"));
          }
          return xml ? Open311Xml(v) : Open311Json(v);
        }
        std::vector<v1::Open311Error> v;
        for (const auto& b : items) v.push_back(FromBytes<v1::Open311Error>(b, "Open311Error"));
        return xml ? Open311Xml(v) : Open311Json(v);
      },
      py::arg("kind"), py::arg("items"), py::arg("xml"),
      "A list of services, requests or errors in the specification's JSON or XML.");
  m.def(
      "export_rule_table",
      [](const PyRuleSet& rules, const std::string& format) {
        return ValueOrThrow(ExportRuleTable(*rules.rules, ValueOrThrow(ParseRuleTableFormat(format))));
      },
      py::arg("rules"), py::arg("format"),
      "The compiled rule set as a GoRules JDM (\"jdm\") or DMN 1.3 (\"dmn\") decision table.");
  m.def(
      "import_rule_table",
      [](const py::bytes& table, const std::string& format, const std::string& filename) {
        const std::string text = table;
        return ToBytes(ValueOrThrow(
            ImportRuleTable(text, ValueOrThrow(ParseRuleTableFormat(format)), filename)));
      },
      py::arg("table"), py::arg("format"), py::arg("filename"),
      "A JDM or DMN decision table -> fengqiao.v1.RuleSet bytes.");
  m.def(
      "load_rule_table",
      [](const std::string& path, const std::string& format) {
        return ToBytes(
            ValueOrThrow(LoadRuleTable(path, ValueOrThrow(ParseRuleTableFormat(format)))));
      },
      py::arg("path"), py::arg("format"), "A JDM or DMN file -> fengqiao.v1.RuleSet bytes.");
}

}  // namespace fengqiao::python
