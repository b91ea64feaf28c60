// File: fengqiao/routing/router.h
// A Router is the routing front of a 110 / 12345 / grid platform: it holds the rule set in force
// and swaps in a new one atomically (hot reload) while other threads keep routing. Each call uses
// one rule set from start to end; decisions name that set's version and hash.
//
//   fengqiao::Router router(*fengqiao::RuleSet::Compile(source, *grid_map));
//   absl::StatusOr<fengqiao::v1::Decision> d = router.Route(incident, repeat_count, snapshot);
//   router.Swap(*fengqiao::RuleSet::Compile(new_source, *grid_map));  // later calls use it
//
// Thread safety: all methods are safe to call concurrently.
#ifndef FENGQIAO_ROUTING_ROUTER_H_
#define FENGQIAO_ROUTING_ROUTER_H_

#include <memory>
#include <shared_mutex>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "fengqiao/routing/rule_set.h"
#include "fengqiao/v1/incident.pb.h"
#include "fengqiao/v1/routing.pb.h"

namespace fengqiao {

class Router {
 public:
  // `rules` must not be null.
  explicit Router(std::shared_ptr<const RuleSet> rules);

  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // The rule set in force now. Holding the pointer keeps that set alive after a swap.
  std::shared_ptr<const RuleSet> Current() const;

  // Puts `next` in force for every later call; calls already running finish with the old set.
  // InvalidArgument for a null set or one compiled against another grid map.
  absl::Status Swap(std::shared_ptr<const RuleSet> next);

  // Routes one incident: facts, decision with explanation record. InvalidArgument as for
  // MakeRoutingFacts.
  absl::StatusOr<v1::Decision> Route(const v1::Incident& incident, int repeat_count,
                                     const CapacitySnapshot& capacity = {}) const;

  // Routes a batch with one rule set; `repeat_counts` is empty (all zero) or one per incident.
  // A bad incident fails the batch with its index and id in the message.
  absl::StatusOr<std::vector<v1::Decision>> RouteBatch(absl::Span<const v1::Incident> incidents,
                                                       absl::Span<const int> repeat_counts,
                                                       const CapacitySnapshot& capacity = {}) const;

 private:
  // A pthread rwlock underneath, which ThreadSanitizer understands (Debian's Abseil is not built
  // with TSan annotations, so absl::Mutex would be invisible to it).
  mutable std::shared_mutex mu_;
  std::shared_ptr<const RuleSet> current_;  // guarded by mu_
};

}  // namespace fengqiao

#endif  // FENGQIAO_ROUTING_ROUTER_H_
