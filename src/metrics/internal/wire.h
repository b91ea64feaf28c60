// Internal: the fixed-width integers of serialised partial metrics (host byte order: partials
// travel between processes of one cluster, not between architectures).
#ifndef FENGQIAO_SRC_METRICS_INTERNAL_WIRE_H_
#define FENGQIAO_SRC_METRICS_INTERNAL_WIRE_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace fengqiao::metrics_internal {

inline void PutInt(std::string* out, int64_t v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}

// Reads one integer from the front of `in`; false when too short.
inline bool GetInt(std::string_view* in, int64_t* v) {
  if (in->size() < sizeof *v) return false;
  std::memcpy(v, in->data(), sizeof *v);
  in->remove_prefix(sizeof *v);
  return true;
}

}  // namespace fengqiao::metrics_internal

#endif  // FENGQIAO_SRC_METRICS_INTERNAL_WIRE_H_
