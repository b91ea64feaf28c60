// The C++ backstop of the checked conversion layer (python/fengqiao/_checked.py converts and
// checks every column first; this catches what reaches the core directly): a column of a dict
// becomes a 1-D NumPy array of T, or the call raises fengqiao.InvalidArgumentError naming the
// column, never a segfault on an object column, never a silent wrap of an out-of-range value.
#ifndef FENGQIAO_PYTHON_SRC_CHECKED_INPUT_H_
#define FENGQIAO_PYTHON_SRC_CHECKED_INPUT_H_

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "bindings.h"
#include "status_bridge.h"

namespace fengqiao::python {

// `d[name]` as a 1-D array of T; nullopt when absent or None. Raises InvalidArgument (naming
// `where` and `name`) when the column is not an array of exactly T: no cast happens here, so
// NaN, None, text, datetimes and wider integers cannot slip through as garbage numbers.
template <typename T>
std::optional<Array<T>> CheckedColumn(const pybind11::dict& d, const char* where,
                                      const char* name) {
  namespace py = pybind11;
  if (!d.contains(name) || d[name].is_none()) return std::nullopt;
  py::object value = d[name];
  const auto fail = [&](absl::string_view problem) {
    throw StatusNotOk{absl::InvalidArgumentError(absl::StrCat(where, ": ", name, ": ", problem))};
  };
  if (!py::isinstance<py::array>(value)) fail("expected a NumPy array");
  const auto array = py::reinterpret_borrow<py::array>(value);
  if (array.ndim() != 1) fail(absl::StrCat("expected 1 dimension, got ", array.ndim()));
  if (!array.dtype().is(py::dtype::of<T>())) {
    fail(absl::StrCat("expected dtype ", std::string(py::str(py::dtype::of<T>())), ", got ",
                      std::string(py::str(array.dtype()))));
  }
  auto out = Array<T>::ensure(value);  // dtype checked above: no cast
  if (!out) fail("not a contiguous array");
  return out;
}

// Unix seconds from Python as absl::Time; InvalidArgument naming `name` for NaN, inf, or a time
// outside 1900..2200 (a float -> int64 cast of those is undefined behaviour).
inline absl::Time CheckedSeconds(double seconds, absl::string_view name) {
  constexpr double kEarliest = -2208988800.0;  // 1900-01-01T00:00:00Z
  constexpr double kLatest = 7258118400.0;     // 2200-01-01T00:00:00Z
  if (!std::isfinite(seconds) || seconds < kEarliest || seconds >= kLatest) {
    throw StatusNotOk{
        absl::InvalidArgumentError(absl::StrCat(name, ": not a time between 1900 and 2200"))};
  }
  return absl::FromUnixMicros(static_cast<int64_t>(seconds * 1e6));
}

}  // namespace fengqiao::python

#endif  // FENGQIAO_PYTHON_SRC_CHECKED_INPUT_H_
