// File: fengqiao/routing/router.h
// A Router is the routing front of a 110 / 12345 / grid platform: it holds the rule set in force
// and swaps in a new one atomically (hot reload) while other threads keep routing. Each call uses
// one rule set from start to end; decisions name that set's version and hash.
//
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::GridMap> grid_map,
//                             fengqiao::GridMap::Load("examples/data/grid_map.textproto"));
//   FENGQIAO_ASSIGN_OR_RETURN(
//       fengqiao::RuleSetSource source,
//       fengqiao::RuleSetSource::Load("examples/data/rules/district.textproto"));
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::RuleSet> rules,
//                             fengqiao::RuleSet::Compile(source, grid_map));
//   fengqiao::v1::Incident incident;  // a noise dispute between neighbours, by 110
//   incident.set_id("110-2026-10-0001");
//   incident.mutable_reported_at()->set_seconds(1791943200);  // 2026-10-14 10:00 (+08)
//   incident.set_channel(fengqiao::v1::CHANNEL_CALL_110);
//   incident.set_kind(fengqiao::v1::INCIDENT_KIND_DISPUTE);
//   incident.set_dispute_type(fengqiao::v1::DISPUTE_TYPE_NOISE);
//   incident.set_grid_code("xc-lc-c1-g1");
//   fengqiao::Router router(rules);
//   FENGQIAO_ASSIGN_OR_RETURN(fengqiao::v1::Decision d, router.Route(incident, /*repeat_count=*/0));
//   if (d.rule_id().empty()) return absl::InternalError("the district routes every dispute");
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::RuleSet> next,
//                             fengqiao::RuleSet::Compile(source, grid_map));
//   FENGQIAO_RETURN_IF_ERROR(router.Swap(next));  // later calls use the new set
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
