// The checked conversion of route_frame's columns in C++ (issue 17 point 2): the Python layer
// (python/fengqiao/_checked.py) hands over NumPy buffers of plain numeric dtypes and columns of
// grid codes; these functions check every value (range, enum domain, missing) and convert in one
// pass without the per-column copies of pandas, returning the very array when its dtype already
// is the one the core reads (zero-copy). They decide, they do not word: a bad value comes back
// as its row (and, for integers, its value) and the Python layer raises the error naming column
// and row, the same message as before. What they do not handle (object, Categorical, nullable
// and text dtypes; a float column with a non-finite, fractional or out-of-range value) comes
// back as "not decided", and the Python layer's own checks run.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "bindings.h"

namespace fengqiao::python {
namespace {

// What a conversion found: `out` on success; otherwise the first bad row (and its value), or
// neither when this path does not decide.
struct Converted {
  py::object out = py::none();
  int64_t bad_row = -1;
  int64_t bad_value = 0;
};

struct Limits {
  int64_t lo;
  int64_t hi;
  std::optional<int64_t> missing;   // what NaN stands for; nullopt: NaN is an error
  const uint8_t* domain = nullptr;  // enum numbers: domain[v] != 0 for a defined number
  size_t domain_size = 0;
  bool Accepts(int64_t v) const {
    if (domain != nullptr) {
      return (v >= 0 && static_cast<uint64_t>(v) < domain_size && domain[v] != 0) ||
             (missing.has_value() && v == *missing);
    }
    return lo <= v && v <= hi;
  }
};

// The first row whose value `accepts` refuses, or -1. Blocks of rows are tested without a branch
// per row (so the compiler vectorises the test); only a block with a bad row is searched again.
template <typename In, typename Accepts>
int64_t FirstRefused(const In* in, size_t n, Accepts accepts) {
  constexpr size_t kBlock = 4096;  // a constant trip count: GCC's -O2 vectorises the full blocks
  for (size_t begin = 0; begin < n; begin += kBlock) {
    const In* block = in + begin;
    // An OR of bytes, not an AND of bools: GCC vectorises the first and not the second (checked
    // with -fopt-info-vec; the bool form ran at 1.5 G rows/s on uint8 columns).
    unsigned char refused = 0;
    if (n - begin >= kBlock) {
      for (size_t i = 0; i < kBlock; ++i) refused |= static_cast<unsigned char>(!accepts(block[i]));
    } else {
      for (size_t i = 0; i < n - begin; ++i) {
        refused |= static_cast<unsigned char>(!accepts(block[i]));
      }
    }
    if (refused == 0) continue;
    for (size_t i = begin; i < n; ++i) {
      if (!accepts(in[i])) return static_cast<int64_t>(i);
    }
  }
  return -1;
}

// The first row outside [lo, hi], or -1. The bounds are first narrowed to In's own range, so the
// comparison runs in In's width (SSE2 has no 64-bit compare: int64 bounds on a uint8 column would
// test one row at a time).
template <typename In>
int64_t FirstOutside(const In* in, size_t n, int64_t lo, int64_t hi) {
  constexpr int64_t kMin = static_cast<int64_t>(std::numeric_limits<In>::min());
  constexpr int64_t kMax = static_cast<int64_t>(std::numeric_limits<In>::max());
  if (lo > hi || lo > kMax || hi < kMin) return n > 0 ? 0 : -1;
  const In l = static_cast<In>(std::max(lo, kMin));
  const In h = static_cast<In>(std::min(hi, kMax));
  if (static_cast<int64_t>(l) == kMin && static_cast<int64_t>(h) == kMax) return -1;
  return FirstRefused(in, n, [l, h](In v) { return (v >= l) & (v <= h); });
}

template <typename In, typename Out>
Converted FromIntegers(const In* in, size_t n, const Limits& limits, Out* out) {
  Converted c;
  if (limits.domain != nullptr) {
    // Enum numbers: a table of the accepted numbers (the missing value included), one slot past
    // the end for everything outside it.
    std::vector<uint8_t> accepted(limits.domain, limits.domain + limits.domain_size);
    if (limits.missing.has_value() && *limits.missing >= 0 && *limits.missing < 256) {
      if (static_cast<size_t>(*limits.missing) >= accepted.size()) {
        accepted.resize(static_cast<size_t>(*limits.missing) + 1, 0);
      }
      accepted[static_cast<size_t>(*limits.missing)] = 1;
    }
    const uint64_t size = accepted.size();
    accepted.push_back(0);
    const uint8_t* table = accepted.data();
    const bool odd_missing =
        limits.missing.has_value() && (*limits.missing < 0 || *limits.missing >= 256);
    if (!odd_missing && std::all_of(table, table + size, [](uint8_t a) { return a != 0; })) {
      // Every number below `size` is accepted (most enums, numbered 0..k): a range test, which
      // vectorises, instead of a table lookup per row.
      c.bad_row = FirstOutside(in, n, 0, static_cast<int64_t>(size) - 1);
    } else {
      c.bad_row = FirstRefused(in, n, [&](In v) {
        const uint64_t u = static_cast<uint64_t>(static_cast<int64_t>(v));
        return table[u < size ? u : size] != 0 ||
               (odd_missing && static_cast<int64_t>(v) == *limits.missing);
      });
    }
  } else {
    c.bad_row = FirstOutside(in, n, limits.lo, limits.hi);
  }
  if (c.bad_row >= 0) {
    c.bad_value = static_cast<int64_t>(in[c.bad_row]);
    return c;
  }
  if (out != nullptr) {
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<Out>(in[i]);
  }
  return c;
}

// Floats: NaN is the missing value; anything not a whole number in range is left undecided
// (the Python layer words each such problem in its own order).
template <typename In, typename Out>
bool FromFloats(const In* in, size_t n, const Limits& limits, Out* out) {
  constexpr double kInt64Edge = 9223372036854775808.0;  // 2^63
  for (size_t i = 0; i < n; ++i) {
    const double v = static_cast<double>(in[i]);
    if (std::isnan(v)) {
      if (!limits.missing.has_value()) return false;
      out[i] = static_cast<Out>(*limits.missing);
      continue;
    }
    if (!(v >= -kInt64Edge && v < kInt64Edge) || std::floor(v) != v) return false;
    const int64_t whole = static_cast<int64_t>(v);
    if (!limits.Accepts(whole)) return false;
    out[i] = static_cast<Out>(whole);
  }
  return true;
}

template <typename Out>
Converted ConvertTo(const py::array& values, const Limits& limits) {
  const size_t n = static_cast<size_t>(values.size());
  const py::dtype in_type = values.dtype();
  const bool same = in_type.is(py::dtype::of<Out>()) && (values.flags() & py::array::c_style) != 0;
  Array<Out> converted(same ? 0 : static_cast<py::ssize_t>(n));
  Out* out = same ? nullptr : converted.mutable_data();
  Converted c;
  const void* raw = values.data();
  const char kind = in_type.kind();
  const auto integers = [&](auto* typed) {
    using In = std::remove_const_t<std::remove_pointer_t<decltype(typed)>>;
    return FromIntegers<In, Out>(typed, n, limits, out);
  };
  if ((values.flags() & py::array::c_style) == 0) return c;  // strided: not decided here
  if (kind == 'f') {
    if (same) return c;  // a float target does not occur
    bool ok = false;
    if (in_type.itemsize() == 8) {
      ok = FromFloats(static_cast<const double*>(raw), n, limits, out);
    } else if (in_type.itemsize() == 4) {
      ok = FromFloats(static_cast<const float*>(raw), n, limits, out);
    }
    if (ok) c.out = std::move(converted);
    return c;
  }
  switch (kind == 'b' ? 'u' : kind) {
    case 'i':
      switch (in_type.itemsize()) {
        case 1:
          c = integers(static_cast<const int8_t*>(raw));
          break;
        case 2:
          c = integers(static_cast<const int16_t*>(raw));
          break;
        case 4:
          c = integers(static_cast<const int32_t*>(raw));
          break;
        case 8:
          c = integers(static_cast<const int64_t*>(raw));
          break;
        default:
          return c;
      }
      break;
    case 'u':
      switch (in_type.itemsize()) {
        case 1:
          c = integers(static_cast<const uint8_t*>(raw));
          break;
        case 2:
          c = integers(static_cast<const uint16_t*>(raw));
          break;
        case 4:
          c = integers(static_cast<const uint32_t*>(raw));
          break;
        default:
          return c;  // uint64 wider than int64: the Python layer
      }
      break;
    default:
      return c;
  }
  if (c.bad_row < 0) c.out = same ? py::object(values) : py::object(std::move(converted));
  return c;
}

}  // namespace

void BindCheckedColumns(py::module_& m) {
  m.def(
      "checked_integers",
      [](const py::array& values, const std::string& target, int64_t lo, int64_t hi,
         std::optional<int64_t> missing, std::optional<py::bytes> domain) {
        if (values.ndim() != 1 || !values.dtype().attr("isnative").cast<bool>()) {
          return py::make_tuple(py::none(), -1, 0);
        }
        std::string domain_bytes;
        Limits limits{lo, hi, missing};
        if (domain.has_value()) {
          domain_bytes = std::string(*domain);
          limits.domain = reinterpret_cast<const uint8_t*>(domain_bytes.data());
          limits.domain_size = domain_bytes.size();
        }
        Converted c;
        if (target == "uint8") {
          c = ConvertTo<uint8_t>(values, limits);
        } else if (target == "int32") {
          c = ConvertTo<int32_t>(values, limits);
        } else if (target == "uint32") {
          c = ConvertTo<uint32_t>(values, limits);
        } else if (target == "int64") {
          c = ConvertTo<int64_t>(values, limits);
        } else if (target == "uint64") {
          c = ConvertTo<uint64_t>(values, limits);
        }  // another target: not decided here
        return py::make_tuple(c.out, c.bad_row, c.bad_value);
      },
      py::arg("values"), py::arg("target"), py::arg("lo"), py::arg("hi"), py::arg("missing"),
      py::arg("domain"),
      "A 1-D numeric array checked against [lo, hi] (or an enum's domain, a byte per number) and "
      "converted to `target` (the same array when already so): (array, -1, 0); (None, row, "
      "value) for the first bad integer; (None, -1, 0) when not decided here.");

  m.def(
      "grid_areas",
      [](const py::array& values, const GridMap& map) -> py::object {
        // Grid codes (Python str objects) to area indices, -1 for a code the map does not
        // have. A frame repeats a few hundred codes: each distinct object is looked up once.
        if (values.ndim() != 1 || values.dtype().kind() != 'O' ||
            (values.flags() & py::array::c_style) == 0) {
          return py::none();
        }
        const size_t n = static_cast<size_t>(values.size());
        PyObject* const* objects = static_cast<PyObject* const*>(values.data());
        Array<int32_t> out(static_cast<py::ssize_t>(n));
        int32_t* areas = out.mutable_data();
        // A direct-mapped cache by object address in front of a map of every object seen.
        constexpr size_t kSlots = 4096;
        std::vector<std::pair<PyObject*, int32_t>> cache(kSlots, {nullptr, -1});
        absl::flat_hash_map<PyObject*, int32_t> seen;
        for (size_t i = 0; i < n; ++i) {
          PyObject* o = objects[i];
          auto& slot = cache[(reinterpret_cast<uintptr_t>(o) >> 4) & (kSlots - 1)];
          if (slot.first == o && o != nullptr) {
            areas[i] = slot.second;
            continue;
          }
          auto it = seen.find(o);
          if (it == seen.end()) {
            if (o == nullptr || !PyUnicode_Check(o)) return py::none();  // the Python layer
            Py_ssize_t size = 0;
            const char* utf8 = PyUnicode_AsUTF8AndSize(o, &size);
            int32_t area = -1;
            if (utf8 == nullptr) {
              PyErr_Clear();  // lone surrogates: no grid code is such text
            } else {
              area = map.AreaIndex(absl::string_view(utf8, static_cast<size_t>(size)));
            }
            it = seen.emplace(o, area).first;
          }
          slot = {o, it->second};
          areas[i] = it->second;
        }
        return out;
      },
      py::arg("values"), py::arg("grid_map"),
      "An object array of grid codes (str) as int32 area indices (-1 unknown); None when an "
      "element is not a str (the Python layer words the error).");

  m.def(
      "gather_codes",
      [](const Array<int32_t>& rule_index, const py::tuple& tables, int rule_code_bytes) {
        // Per-row codes of per-rule tables (int8 each, -1 for a row no rule took), and the rule
        // index itself as Categorical codes of `rule_code_bytes` bytes (what pandas keeps for
        // that many categories, so it takes them without a copy).
        const size_t n = static_cast<size_t>(rule_index.size());
        const int32_t* rules = rule_index.data();
        std::vector<Array<int8_t>> owned;
        std::vector<const int8_t*> per_rule;
        std::vector<int8_t*> per_row;
        int64_t size = -1;
        for (const py::handle& h : tables) {
          owned.push_back(h.cast<Array<int8_t>>());
          if (size >= 0 && owned.back().size() != size) {
            ThrowIfError(absl::InvalidArgumentError("gather_codes: tables differ in length"));
          }
          size = owned.back().size();
        }
        py::list out;
        std::vector<Array<int8_t>> codes;
        for (const Array<int8_t>& t : owned) {
          per_rule.push_back(t.data());
          codes.emplace_back(static_cast<py::ssize_t>(n));
          per_row.push_back(codes.back().mutable_data());
        }
        // One pass over the rows: the rule code and every table's code of each row.
        const auto gather = [&](auto zero) {
          using Code = decltype(zero);
          Array<Code> rule_codes(static_cast<py::ssize_t>(n));
          Code* rc = rule_codes.mutable_data();
          const size_t k_tables = per_rule.size();
          for (size_t i = 0; i < n; ++i) {
            const int32_t r = rules[i];
            rc[i] = static_cast<Code>(r < 0 ? -1 : r);
            const bool known = r >= 0 && r < size;
            for (size_t k = 0; k < k_tables; ++k) {
              per_row[k][i] = known ? per_rule[k][r] : int8_t{-1};
            }
          }
          out.append(std::move(rule_codes));
        };
        switch (rule_code_bytes) {
          case 1:
            gather(int8_t{0});
            break;
          case 2:
            gather(int16_t{0});
            break;
          default:
            gather(int32_t{0});
            break;
        }
        for (Array<int8_t>& c : codes) out.append(std::move(c));
        return py::tuple(out);
      },
      py::arg("rule_index"), py::arg("tables"), py::arg("rule_code_bytes"),
      "The rule index as codes of rule_code_bytes bytes (-1 for any negative), then for each "
      "per-rule int8 table the code of every row's rule (-1 for no rule).");
}

}  // namespace fengqiao::python
