// fengqiao._core: thin shims over the C++ API; the Pythonic façade lives in fengqiao/*.py.
#include "bindings.h"
#include "fengqiao/force/roster.h"
#include "fengqiao/routing/routing_facts.h"
#include "fengqiao/version.h"
#include "status_bridge.h"

namespace fengqiao::python {

void BindGrid(py::module_& m) {
  py::class_<GridMap, std::shared_ptr<GridMap>>(m, "GridMap",
                                                "A validated area hierarchy with grid polygons.")
      .def_static(
          "load",
          [](const std::string& path) {
            return std::const_pointer_cast<GridMap>(
                std::shared_ptr<const GridMap>(ValueOrThrow(GridMap::Load(path))));
          },
          py::arg("path"), "Reads a grid map file (text format, or JSON for .json).")
      .def_static(
          "parse",
          [](const std::string& content, const std::string& filename) {
            return std::const_pointer_cast<GridMap>(
                std::shared_ptr<const GridMap>(ValueOrThrow(GridMap::Parse(content, filename))));
          },
          py::arg("content"), py::arg("filename"), "Parses a grid map held in memory.")
      .def(
          "area_index", [](const GridMap& g, const std::string& code) { return g.AreaIndex(code); },
          py::arg("code"), "Dense index of an area, -1 when unknown.")
      .def(
          "size", [](const GridMap& g) { return g.size(); }, "Number of areas.")
      .def(
          "codes",
          [](const GridMap& g) {
            std::vector<std::string> out;
            for (const auto& a : g.proto().areas()) out.push_back(a.code());
            return out;
          },
          "Area codes in index order.")
      .def(
          "names",
          [](const GridMap& g) {
            std::vector<std::string> out;
            for (const auto& a : g.proto().areas()) out.push_back(a.name());
            return out;
          },
          "Area display names (e.g. 临城街道) in index order.")
      .def(
          "levels",
          [](const GridMap& g) {
            std::vector<int> out;
            for (const auto& a : g.proto().areas()) out.push_back(a.level());
            return out;
          },
          "Area levels (fengqiao.v1.AreaLevel numbers) in index order.")
      .def(
          "parent_indices",
          [](const GridMap& g) {
            std::vector<int> out;
            for (int i = 0; i < g.size(); ++i) out.push_back(g.ParentIndex(i));
            return out;
          },
          "Parent index of each area (-1 for a root).")
      .def(
          "locate",
          [](const GridMap& g, double lat, double lng) -> std::optional<std::string> {
            v1::LatLng p;
            p.set_lat_deg(lat);
            p.set_lng_deg(lng);
            const v1::Area* a = ValueOrThrow(g.Locate(p));
            if (a == nullptr) return std::nullopt;
            return a->code();
          },
          py::arg("lat"), py::arg("lng"), "Code of the grid holding the point, or None.")
      .def(
          "roll_up",
          [](const GridMap& g, const std::string& code) {
            return ToBytes(ValueOrThrow(g.RollUp(code)));
          },
          py::arg("code"), "Base registers (一标三实) of an area and everything below, as bytes.")
      .def_property_readonly(
          "proto", [](const GridMap& g) { return ToBytes(g.proto()); },
          "The map as fengqiao.v1.GridMap bytes.");

  // The roster shares its map (std::shared_ptr), so Python needs no holder to keep the map alive.
  py::class_<Roster, std::shared_ptr<Roster>>(
      m, "Roster", "The 1+4+N forces of a station, validated against a map.")
      .def_static(
          "load",
          [](const std::string& path, std::shared_ptr<GridMap> map) {
            return std::const_pointer_cast<Roster>(ValueOrThrow(Roster::Load(path, map)));
          },
          py::arg("path"), py::arg("grid_map"), "Reads a roster file.")
      .def(
          "team_ids",
          [](const Roster& r) {
            std::vector<std::string> out;
            for (const auto& t : r.proto().teams()) out.push_back(t.id());
            return out;
          },
          "Team ids of the roster.")
      .def_property_readonly(
          "proto", [](const Roster& r) { return ToBytes(r.proto()); },
          "The roster as fengqiao.v1.Roster bytes.");
}

}  // namespace fengqiao::python

PYBIND11_MODULE(_core, m) {
  m.doc() = "fengqiao C++ core (thin bindings; use the fengqiao package).";
  m.attr("__version__") = fengqiao::VersionString();
  // RoutingFacts flag bits (fengqiao/routing/routing_facts.h), for frames built in Python.
  m.attr("FACT_INJURY") = fengqiao::kFactInjury;
  m.attr("FACT_VIOLENCE_RISK") = fengqiao::kFactViolenceRisk;
  m.attr("FACT_NON_POLICE") = fengqiao::kFactNonPolice;
  fengqiao::python::RegisterStatusTranslator();
  fengqiao::python::BindGrid(m);
  fengqiao::python::BindRouting(m);
  fengqiao::python::BindCases(m);
  fengqiao::python::BindPrivacy(m);
  fengqiao::python::BindAlert(m);
  fengqiao::python::BindBriefing(m);
  fengqiao::python::BindInterop(m);
  fengqiao::python::BindCheckedColumns(m);
}
