// Internal: checks shared by the columnar entry points (routing, metrics).
#ifndef FENGQIAO_SRC_INTERNAL_COLUMNS_H_
#define FENGQIAO_SRC_INTERNAL_COLUMNS_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace fengqiao::internal {

// An enum number as a uint8 column value: out-of-range numbers (only a peer's unknown enum value
// can be one) become 255, which no condition names.
inline uint8_t SmallEnum(int v) { return static_cast<uint8_t>(v >= 0 && v < 255 ? v : 255); }

// Every column is empty (meaning "default") or has `rows` rows; the error names the first that
// does not, e.g. "RouteColumns: column amount_fen has 1 rows, area has 3".
inline absl::Status CheckColumns(absl::string_view what, absl::string_view base, size_t rows,
                                 std::initializer_list<std::pair<const char*, size_t>> sizes) {
  for (const auto& [name, size] : sizes) {
    if (size != 0 && size != rows) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": column ", name, " has ", size, " rows, ", base, " has ", rows));
    }
  }
  return absl::OkStatus();
}

}  // namespace fengqiao::internal

#endif  // FENGQIAO_SRC_INTERNAL_COLUMNS_H_
