// File: fengqiao/status_macros.h
// Propagate a non-OK absl::Status or absl::StatusOr<T> to the caller. Public, so that callers and
// the header examples can use them (Debian's Abseil 20220623 has no status_macros.h; the shape is
// cel-cpp's CEL_ macros).
//
//   #include "fengqiao/grid/grid_map.h"
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::GridMap> map,
//                             fengqiao::GridMap::Load("examples/data/grid_map.textproto"));
//   FENGQIAO_RETURN_IF_ERROR(map->Find("xc") != nullptr ? absl::OkStatus()
//                                                       : absl::NotFoundError("xc"));
#ifndef FENGQIAO_STATUS_MACROS_H_
#define FENGQIAO_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define FENGQIAO_STATUS_CONCAT_INNER_(a, b) a##b
#define FENGQIAO_STATUS_CONCAT_(a, b) FENGQIAO_STATUS_CONCAT_INNER_(a, b)

#define FENGQIAO_RETURN_IF_ERROR(expr)                   \
  do {                                                   \
    ::absl::Status fengqiao_status_ = (expr);            \
    if (!fengqiao_status_.ok()) return fengqiao_status_; \
  } while (false)

#define FENGQIAO_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                    \
  if (!tmp.ok()) return std::move(tmp).status();        \
  lhs = *std::move(tmp)

#define FENGQIAO_ASSIGN_OR_RETURN(lhs, expr) \
  FENGQIAO_ASSIGN_OR_RETURN_IMPL_(FENGQIAO_STATUS_CONCAT_(fengqiao_statusor_, __LINE__), lhs, expr)

#endif  // FENGQIAO_STATUS_MACROS_H_
