// The pieces of the fengqiao._core extension; module.cc calls each Bind*.
#ifndef FENGQIAO_PYTHON_SRC_BINDINGS_H_
#define FENGQIAO_PYTHON_SRC_BINDINGS_H_

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>

#include "absl/types/span.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/routing/responsibility_catalogue.h"
#include "fengqiao/routing/rule_set.h"
#include "status_bridge.h"

namespace fengqiao::python {

namespace py = pybind11;

// A compiled rule set (it shares its grid map); pybind11 holds it by a const shared_ptr. Bound
// as RuleSet by routing_bindings.cc; interop_bindings.cc takes it too.
struct PyRuleSet {
  std::shared_ptr<const RuleSet> rules;
};

// A responsibility catalogue (职责清单 / 派单目录), shared with the rule sets compiled with it.
struct PyCatalogue {
  std::shared_ptr<const ResponsibilityCatalogue> catalogue;
};

void BindGrid(py::module_& m);
void BindRouting(py::module_& m);
void BindCases(py::module_& m);
void BindPrivacy(py::module_& m);
void BindAlert(py::module_& m);
void BindBriefing(py::module_& m);
void BindInterop(py::module_& m);
void BindCheckedColumns(py::module_& m);

// Runs `f` (returning absl::Status) with the GIL released, then raises its error, if any.
template <typename F>
void RunWithoutGil(F f) {
  absl::Status status;
  {
    py::gil_scoped_release release;
    status = f();
  }
  ThrowIfError(status);
}

// Protobuf messages cross as bytes (pybind11_protobuf's rule: no shared mutable messages).
template <typename Message>
py::bytes ToBytes(const Message& message) {
  return py::bytes(message.SerializeAsString());
}

// The message `data` holds; InvalidArgument (raised as fengqiao.InvalidArgumentError) when the
// bytes are not a `type`.
template <typename Message>
Message FromBytes(const py::bytes& data, const char* type) {
  Message m;
  if (!m.ParseFromString(std::string(data))) {
    throw StatusNotOk{absl::InvalidArgumentError(std::string("bytes do not parse as ") + type)};
  }
  return m;
}

// A read-only view of a 1-D NumPy array of T (converted when its dtype differs); empty when None.
template <typename T>
using Array = py::array_t<T, py::array::c_style | py::array::forcecast>;

template <typename T>
absl::Span<const T> View(const std::optional<Array<T>>& a) {
  if (!a.has_value() || a->ndim() == 0) return {};
  return absl::Span<const T>(a->data(), static_cast<size_t>(a->size()));
}

}  // namespace fengqiao::python

#endif  // FENGQIAO_PYTHON_SRC_BINDINGS_H_
