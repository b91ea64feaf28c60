// Status -> Python exception at the binding edge (pybind11_abseil's contract, in ~40 lines):
// OK returns normally, a StatusOr yields its value, a non-OK status raises the fengqiao.errors
// class for its code with the message unchanged (and .code / .message attributes).
#ifndef FENGQIAO_PYTHON_SRC_STATUS_BRIDGE_H_
#define FENGQIAO_PYTHON_SRC_STATUS_BRIDGE_H_

#include <pybind11/pybind11.h>

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace fengqiao::python {

// Thrown in bindings; translated by RegisterStatusTranslator into a fengqiao.errors exception.
struct StatusNotOk {
  absl::Status status;
};

inline void ThrowIfError(const absl::Status& status) {
  if (!status.ok()) throw StatusNotOk{status};
}

template <typename T>
T ValueOrThrow(absl::StatusOr<T> value) {
  if (!value.ok()) throw StatusNotOk{value.status()};
  return *std::move(value);
}

inline void RegisterStatusTranslator() {
  pybind11::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const StatusNotOk& e) {
      const std::string code = absl::StatusCodeToString(e.status.code());
      const std::string message(e.status.message());
      pybind11::gil_scoped_acquire gil;
      pybind11::object errors = pybind11::module_::import("fengqiao.errors");
      pybind11::object cls = errors.attr("error_for_code")(static_cast<int>(e.status.code()));
      // A message may quote input bytes that are not UTF-8 (`name: \xff`): decode them as
      // escapes, so the error is still the fengqiao class and never a UnicodeDecodeError.
      pybind11::object text = pybind11::reinterpret_steal<pybind11::object>(PyUnicode_DecodeUTF8(
          message.data(), static_cast<Py_ssize_t>(message.size()), "backslashreplace"));
      if (!text) {
        PyErr_Clear();
        text = pybind11::str("(message not decodable)");
      }
      pybind11::object exc = cls(text);
      exc.attr("code") = code;  // .message is a property over args[0]
      PyErr_SetObject(cls.ptr(), exc.ptr());
    }
  });
}

}  // namespace fengqiao::python

#endif  // FENGQIAO_PYTHON_SRC_STATUS_BRIDGE_H_
