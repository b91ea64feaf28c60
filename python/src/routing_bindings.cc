#include "bindings.h"
#include "fengqiao/incident/incident_log.h"
#include "fengqiao/incident/incident_log_reader.h"
#include "fengqiao/incident/repeat_detector.h"
#include "fengqiao/routing/incident_stream.h"
#include "fengqiao/routing/rule_set.h"
#include "status_bridge.h"

namespace fengqiao::python {
namespace {

template <typename T>
Array<T> ToArray(const std::vector<T>& values) {
  return Array<T>(static_cast<py::ssize_t>(values.size()), values.data());
}

v1::Incident ParseIncident(const py::bytes& data) {
  return FromBytes<v1::Incident>(data, "fengqiao.v1.Incident");
}

RoutingFacts Facts(const PyRuleSet& r, const py::bytes& incident_bytes, int repeat_count,
                   v1::Incident* incident) {
  *incident = ParseIncident(incident_bytes);
  return ValueOrThrow(MakeRoutingFacts(*incident, repeat_count, *r.rules));
}

// The caller's team states (already checked by the Python façade) as the span routing reads;
// teams the caller did not name stay unknown, so their capacity tests fail.
std::vector<CapacityState> Capacity(const PyRuleSet& r, const std::vector<std::string>& teams,
                                    const std::vector<int32_t>& free_slots,
                                    const std::vector<bool>& on_shift) {
  if (teams.size() != free_slots.size() || teams.size() != on_shift.size()) {
    ThrowIfError(
        absl::InvalidArgumentError("capacity: teams, free_slots and on_shift differ in length"));
  }
  CapacitySnapshot snapshot;
  for (size_t i = 0; i < teams.size(); ++i) {
    snapshot[teams[i]] = CapacityState{free_slots[i], on_shift[i], /*known=*/true};
  }
  return r.rules->ResolveCapacity(snapshot);
}

}  // namespace

void BindRouting(py::module_& m) {
  m.def(
      "incident_facts",
      [](const std::string& path, std::shared_ptr<GridMap> map,
         const std::vector<const PyRuleSet*>& rule_sets, int repeat_window_days) {
        // Read one incident at a time: a year of reports costs its columns, not its messages.
        // Each rule set has its own stream (tag bits, catalogue items), over one read of the file.
        std::unique_ptr<IncidentLogReader> reader =
            ValueOrThrow(IncidentLogReader::Open(path, *map));
        struct Columns {
          explicit Columns(const RuleSet& rules, absl::Duration window) : stream(rules, window) {}
          IncidentStream stream;
          std::vector<int32_t> area, party_count, repeat_count;
          std::vector<uint8_t> kind, dispute_type, severity, channel, department, hour, weekday,
              flags;
          std::vector<int64_t> amount_fen;
          std::vector<uint64_t> tags;
        };
        std::vector<std::unique_ptr<Columns>> sets;
        for (const PyRuleSet* r : rule_sets) {
          if (r == nullptr) ThrowIfError(absl::InvalidArgumentError("rules: None"));
          sets.push_back(
              std::make_unique<Columns>(*r->rules, absl::Hours(24 * repeat_window_days)));
        }
        std::vector<int64_t> reported_at;
        py::list ids, grids;
        v1::Incident incident;
        while (ValueOrThrow(reader->Next(&incident))) {
          ids.append(incident.id());
          grids.append(incident.grid_code());
          reported_at.push_back(incident.reported_at().seconds());
          for (const std::unique_ptr<Columns>& c : sets) {
            const RoutingFacts f = ValueOrThrow(c->stream.Next(incident));
            c->area.push_back(f.area);
            c->kind.push_back(f.kind);
            c->dispute_type.push_back(f.dispute_type);
            c->severity.push_back(f.severity);
            c->channel.push_back(f.channel);
            c->department.push_back(f.department);
            c->amount_fen.push_back(f.amount_fen);
            c->party_count.push_back(f.party_count);
            c->repeat_count.push_back(f.repeat_count);
            c->hour.push_back(f.hour);
            c->weekday.push_back(f.weekday);
            c->flags.push_back(f.flags);
            c->tags.push_back(f.tags);
          }
        }
        py::list out;
        for (const std::unique_ptr<Columns>& c : sets) {
          py::dict d;
          d["incident_id"] = ids;
          d["grid_code"] = grids;
          d["reported_at"] = ToArray(reported_at);
          d["area"] = ToArray(c->area);
          d["kind"] = ToArray(c->kind);
          d["dispute_type"] = ToArray(c->dispute_type);
          d["severity"] = ToArray(c->severity);
          d["channel"] = ToArray(c->channel);
          d["department"] = ToArray(c->department);
          d["amount_fen"] = ToArray(c->amount_fen);
          d["party_count"] = ToArray(c->party_count);
          d["repeat_count"] = ToArray(c->repeat_count);
          d["hour"] = ToArray(c->hour);
          d["weekday"] = ToArray(c->weekday);
          d["flags"] = ToArray(c->flags);
          d["tags"] = ToArray(c->tags);
          out.append(d);
        }
        return out;
      },
      py::arg("path"), py::arg("grid_map"), py::arg("rule_sets"),
      py::arg("repeat_window_days") = 30,
      "Reads and validates an incident log once and returns, per rule set, its routing facts as "
      "NumPy columns (severity assessed, repeats counted, local hour and weekday, tag bits of "
      "that rule set).");

  const auto lines = [](const std::vector<RuleIssue>& issues) {
    std::vector<std::string> out;
    for (const RuleIssue& issue : issues) out.push_back(issue.ToString());
    return out;
  };
  py::class_<PyCatalogue>(m, "ResponsibilityCatalogue",
                          "A responsibility catalogue (职责清单 / 派单目录): domains, classes and "
                          "items, each item owned "
                          "by a department, versioned, with a fallback owner.")
      .def_static(
          "load",
          [](const std::string& path) {
            return PyCatalogue{ValueOrThrow(ResponsibilityCatalogue::Load(path))};
          },
          py::arg("path"), "Reads and checks a catalogue file (text format, or JSON for .json).")
      .def_static(
          "parse",
          [](const std::string& text, const std::string& filename) {
            return PyCatalogue{ValueOrThrow(ResponsibilityCatalogue::Parse(text, filename))};
          },
          py::arg("text"), py::arg("filename"), "Checks a catalogue held in memory.")
      .def_static(
          "lint",
          [lines](const std::string& path) {
            return lines(ValueOrThrow(ResponsibilityCatalogue::LintFile(path)));
          },
          py::arg("path"), "Every finding of a catalogue file, as a compiler prints it.")
      .def_property_readonly(
          "name", [](const PyCatalogue& c) { return c.catalogue->proto().name(); }, "Name.")
      .def_property_readonly(
          "version", [](const PyCatalogue& c) { return c.catalogue->version(); },
          "Version label, stored with every decision it informed.")
      .def_property_readonly(
          "effective_date",
          [](const PyCatalogue& c) { return c.catalogue->proto().effective_date(); },
          "The day from which it applies, ISO text.")
      .def_property_readonly(
          "fallback_department",
          [](const PyCatalogue& c) { return static_cast<int>(c.catalogue->fallback_department()); },
          "Department number of the fallback owner (兜底).")
      .def_property_readonly(
          "warnings", [lines](const PyCatalogue& c) { return lines(c.catalogue->warnings()); },
          "Lint warnings as compiler-style lines.")
      .def_property_readonly(
          "proto", [](const PyCatalogue& c) { return ToBytes(c.catalogue->proto()); },
          "The catalogue as fengqiao.v1.ResponsibilityCatalogue bytes.")
      .def("__len__", [](const PyCatalogue& c) { return c.catalogue->size(); })
      .def(
          "lookup",
          [](const PyCatalogue& c, const std::string& code) {
            return ToBytes(ValueOrThrow(c.catalogue->Lookup(code)));
          },
          py::arg("code"), "The item with `code` as fengqiao.v1.CatalogueAssignment bytes.")
      .def(
          "assign",
          [](const PyCatalogue& c, const std::string& code) {
            return ToBytes(c.catalogue->Assign(code));
          },
          py::arg("code"), "The item claiming `code`, or the fallback owner, as bytes.")
      .def(
          "find",
          [](const PyCatalogue& c, const std::vector<std::string>& codes) {
            Array<int32_t> out(static_cast<py::ssize_t>(codes.size()));
            for (size_t i = 0; i < codes.size(); ++i) {
              out.mutable_at(static_cast<py::ssize_t>(i)) = c.catalogue->Find(codes[i]);
            }
            return out;
          },
          py::arg("codes"), "Item index of each code (-1: no item): the matter column.");

  py::class_<PyRuleSet>(m, "RuleSet", "A compiled routing rule set bound to a grid map.")
      .def_static(
          "compile",
          [](const std::string& path, std::shared_ptr<GridMap> map,
             std::vector<std::string> known_teams, const PyCatalogue* catalogue) {
            RuleSetSource source = ValueOrThrow(RuleSetSource::Load(path));
            RuleSetOptions options;
            options.known_teams = std::move(known_teams);
            if (catalogue != nullptr) options.catalogue = catalogue->catalogue;
            return PyRuleSet{ValueOrThrow(RuleSet::Compile(source, map, options))};
          },
          py::arg("path"), py::arg("grid_map"), py::arg("known_teams") = std::vector<std::string>(),
          py::arg("catalogue") = nullptr,
          "Loads (with inheritance), validates and compiles a rule file; with a catalogue, a "
          "non-police matter's department comes from the item its matter code names.")
      .def_property_readonly(
          "catalogue",
          [](const PyRuleSet& r) -> std::optional<PyCatalogue> {
            if (r.rules->options().catalogue == nullptr) return std::nullopt;
            return PyCatalogue{r.rules->options().catalogue};
          },
          "The responsibility catalogue the rules were compiled with, or None.")
      .def_static(
          "compile_text",
          [](const std::string& content, const std::string& filename,
             std::shared_ptr<GridMap> map) {
            RuleSetSource source = ValueOrThrow(RuleSetSource::Parse(content, filename));
            return PyRuleSet{ValueOrThrow(RuleSet::Compile(source, map))};
          },
          py::arg("content"), py::arg("filename"), py::arg("grid_map"),
          "Compiles a rule set held in memory.")
      .def_static(
          "lint",
          [](const std::string& path, std::shared_ptr<GridMap> map) {
            RuleSetSource source = ValueOrThrow(RuleSetSource::Load(path));
            std::vector<std::string> out;
            for (const RuleIssue& issue : RuleSet::Lint(source, *map))
              out.push_back(issue.ToString());
            return out;
          },
          py::arg("path"), py::arg("grid_map"), "Every finding, as a compiler prints it.")
      .def_property_readonly(
          "name", [](const PyRuleSet& r) { return r.rules->proto().name(); },
          "Name of the rule set.")
      .def_property_readonly(
          "version", [](const PyRuleSet& r) { return r.rules->proto().version(); },
          "Version label, stored with every decision.")
      .def_property_readonly(
          "hash", [](const PyRuleSet& r) { return r.rules->hash(); },
          "Content hash (16 hex digits) stored with every decision.")
      .def_property_readonly(
          "warnings",
          [](const PyRuleSet& r) {
            std::vector<std::string> out;
            for (const RuleIssue& w : r.rules->warnings()) out.push_back(w.ToString());
            return out;
          },
          "Lint warnings (gaps, empty ranges) as compiler-style lines.")
      .def_property_readonly(
          "proto", [](const PyRuleSet& r) { return ToBytes(r.rules->proto()); },
          "The merged rule set as fengqiao.v1.RuleSet bytes.")
      .def_property_readonly(
          "grid_map",
          [](const PyRuleSet& r) {
            return std::const_pointer_cast<GridMap>(r.rules->shared_grid_map());
          },
          "The grid map the rules were compiled against (shared, not copied).")
      .def(
          "rule_ids",
          [](const PyRuleSet& r) {
            std::vector<std::string> out;
            for (const auto& rule : r.rules->proto().rules()) out.push_back(rule.id());
            return out;
          },
          "Rule ids in file order (route_columns returns indices into this list).")
      .def(
          "rule_actions",
          [](const PyRuleSet& r) {
            const auto& rules = r.rules->proto().rules();
            Array<int32_t> tier(rules.size()), department(rules.size()), force(rules.size());
            for (int i = 0; i < rules.size(); ++i) {
              tier.mutable_at(i) = rules[i].then().tier();
              department.mutable_at(i) = rules[i].then().department();
              force.mutable_at(i) = rules[i].then().target_force_type();
            }
            return py::make_tuple(tier, department, force);
          },
          "(tier, department, target force) number arrays, one entry per rule.")
      .def(
          "tag_bit",
          [](const PyRuleSet& r, const std::string& tag) { return r.rules->TagBit(tag); },
          py::arg("tag"), "Bit of a tag in the tags column; 0 when no rule tests it.")
      .def(
          "route_columns",
          [](const PyRuleSet& r, const Array<int32_t>& area, std::optional<Array<uint8_t>> kind,
             std::optional<Array<uint8_t>> dispute_type, std::optional<Array<uint8_t>> severity,
             std::optional<Array<uint8_t>> channel, std::optional<Array<uint8_t>> department,
             std::optional<Array<int64_t>> amount_fen, std::optional<Array<int32_t>> party_count,
             std::optional<Array<int32_t>> repeat_count, std::optional<Array<uint8_t>> hour,
             std::optional<Array<uint8_t>> weekday, std::optional<Array<uint8_t>> flags,
             std::optional<Array<uint64_t>> tags, std::optional<Array<int32_t>> matter,
             const std::vector<std::string>& capacity_teams,
             const std::vector<int32_t>& capacity_free_slots,
             const std::vector<bool>& capacity_on_shift, int threads) {
            const std::vector<CapacityState> capacity =
                Capacity(r, capacity_teams, capacity_free_slots, capacity_on_shift);
            RoutingColumns c;
            c.area = absl::Span<const int32_t>(area.data(), static_cast<size_t>(area.size()));
            c.kind = View(kind);
            c.dispute_type = View(dispute_type);
            c.severity = View(severity);
            c.channel = View(channel);
            c.department = View(department);
            c.amount_fen = View(amount_fen);
            c.party_count = View(party_count);
            c.repeat_count = View(repeat_count);
            c.hour = View(hour);
            c.weekday = View(weekday);
            c.flags = View(flags);
            c.tags = View(tags);
            c.matter = View(matter);
            Array<int32_t> out(area.size());
            absl::Span<int32_t> out_span(out.mutable_data(), static_cast<size_t>(out.size()));
            RunWithoutGil([&] { return r.rules->RouteColumns(c, out_span, capacity, threads); });
            return out;
          },
          py::arg("area"), py::arg("kind") = py::none(), py::arg("dispute_type") = py::none(),
          py::arg("severity") = py::none(), py::arg("channel") = py::none(),
          py::arg("department") = py::none(), py::arg("amount_fen") = py::none(),
          py::arg("party_count") = py::none(), py::arg("repeat_count") = py::none(),
          py::arg("hour") = py::none(), py::arg("weekday") = py::none(),
          py::arg("flags") = py::none(), py::arg("tags") = py::none(),
          py::arg("matter") = py::none(), py::arg("capacity_teams") = std::vector<std::string>(),
          py::arg("capacity_free_slots") = std::vector<int32_t>(),
          py::arg("capacity_on_shift") = std::vector<bool>(), py::arg("threads") = 1,
          "Routes columns (NumPy arrays); returns the winning rule index per row (-1: none).")
      .def(
          "decide",
          [](const PyRuleSet& r, const py::bytes& incident_bytes, int repeat_count,
             const std::vector<std::string>& capacity_teams,
             const std::vector<int32_t>& capacity_free_slots,
             const std::vector<bool>& capacity_on_shift) {
            v1::Incident incident;
            const RoutingFacts f = Facts(r, incident_bytes, repeat_count, &incident);
            return ToBytes(r.rules->Decide(
                f, incident.id(),
                Capacity(r, capacity_teams, capacity_free_slots, capacity_on_shift)));
          },
          py::arg("incident"), py::arg("repeat_count") = 0,
          py::arg("capacity_teams") = std::vector<std::string>(),
          py::arg("capacity_free_slots") = std::vector<int32_t>(),
          py::arg("capacity_on_shift") = std::vector<bool>(),
          "Routes one fengqiao.v1.Incident (bytes); returns fengqiao.v1.Decision bytes.")
      .def(
          "explain",
          [](const PyRuleSet& r, const py::bytes& incident_bytes, int repeat_count,
             const std::vector<std::string>& capacity_teams,
             const std::vector<int32_t>& capacity_free_slots,
             const std::vector<bool>& capacity_on_shift) {
            v1::Incident incident;
            const RoutingFacts f = Facts(r, incident_bytes, repeat_count, &incident);
            return ToBytes(r.rules->Explain(
                f, incident.id(),
                Capacity(r, capacity_teams, capacity_free_slots, capacity_on_shift)));
          },
          py::arg("incident"), py::arg("repeat_count") = 0,
          py::arg("capacity_teams") = std::vector<std::string>(),
          py::arg("capacity_free_slots") = std::vector<int32_t>(),
          py::arg("capacity_on_shift") = std::vector<bool>(),
          "The decision and, per rule of the area, the first condition that failed.");
}

}  // namespace fengqiao::python
